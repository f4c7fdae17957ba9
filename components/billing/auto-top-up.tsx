"use client";

import { useState, type FormEvent } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { AutoTopUpAttemptView, AutoTopUpView } from "@/lib/billing/stripe/auto-top-up";
import { Badge, type BadgeLook } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CardBody, TitledCard } from "@/components/ui/card";
import { Table } from "@/components/ui/table";
import { Field, FormAlert, SelectField } from "@/components/ui/field";
import { LocalTime } from "@/components/billing/local-time";
import { useStripeRedirect } from "@/components/billing/use-stripe-redirect";
import { useWorkspaceHeaders } from "@/components/layout/workspace-scope";
import { formatCents, formatCredits } from "@/lib/format";
import type { PackView } from "@/components/billing/credit-packs";

export const autoTopUpQueryKey = ["workspace", "auto-top-up"] as const;

/** Settings, saved card and history, seeded by the server render and refreshed live like the balance. */
function useAutoTopUp(initial: AutoTopUpView) {
  return useQuery({
    queryKey: autoTopUpQueryKey,
    queryFn: async (): Promise<AutoTopUpView> => {
      const res = await fetch("/api/workspace/auto-top-up", { cache: "no-store" });
      if (!res.ok) throw new Error(`auto top-up request failed (${res.status})`);
      return res.json();
    },
    initialData: initial,
    refetchInterval: 3_000,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: true,
  });
}

/** The settings' three numbers, by input name. */
const LIMITS = {
  threshold_credits: { id: "atu-threshold", min: 1, label: "When remaining drops below (credits)" },
  monthly_cap: { id: "atu-cap", min: 1, label: "At most, purchases per month" },
  cooldown_minutes: { id: "atu-cooldown", min: 0, label: "Cooldown between purchases (minutes)" },
} as const;

const OUTCOME: Record<AutoTopUpAttemptView["status"], BadgeLook> = {
  PENDING: { label: "Waiting to charge", tone: "brand" },
  CHARGING: { label: "Charging", tone: "brand" },
  SUCCEEDED: { label: "Paid", tone: "success" },
  DECLINED: { label: "Declined", tone: "warning" },
  SKIPPED: { label: "Skipped", tone: "neutral" },
  FAILED: { label: "Failed", tone: "warning" },
};

function outcomeNote(a: AutoTopUpAttemptView): string {
  if (a.status === "SUCCEEDED") return a.granted ? "Credits added" : "Waiting for Stripe’s confirmation";
  if (a.status === "PENDING" || a.status === "CHARGING")
    return `Balance fell from ${formatCredits(a.balanceBefore)} to ${formatCredits(a.balanceAfter)}`;
  return a.reason ?? "—";
}

type Props = { initial: AutoTopUpView; packs: PackView[]; canManage: boolean };

export function AutoTopUpCard({ initial, packs, canManage }: Props) {
  const { data, isError } = useAutoTopUp(initial);
  const queryClient = useQueryClient();
  const setup = useStripeRedirect();
  const workspace = useWorkspaceHeaders();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const packName = (id: string) => packs.find((p) => p.id === id)?.name ?? id;
  const selectedPack = packs.find((p) => p.id === data.packId);
  const limit = (name: keyof typeof LIMITS, value: number) => (
    <Field {...LIMITS[name]} name={name} type="number" defaultValue={value} error={fields[name]} />
  );

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = {
      enabled: form.get("enabled") === "on",
      threshold_credits: Number(form.get("threshold_credits")),
      pack_id: String(form.get("pack_id") ?? ""),
      monthly_cap: Number(form.get("monthly_cap")),
      cooldown_minutes: Number(form.get("cooldown_minutes")),
    };
    setSaving(true);
    setFields({});
    setMessage(null);
    try {
      const res = await fetch("/api/workspace/auto-top-up", {
        method: "PUT",
        headers: { "content-type": "application/json", ...workspace },
        body: JSON.stringify(body),
      });
      const json = (await res.json().catch(() => ({}))) as AutoTopUpView & {
        error?: { message?: string; fields?: Record<string, string> };
      };
      if (!res.ok) {
        setFields(json.error?.fields ?? {});
        setMessage({ kind: "error", text: json.error?.message ?? `Saving failed (${res.status}).` });
        return;
      }
      queryClient.setQueryData(autoTopUpQueryKey, json);
      setMessage({ kind: "ok", text: json.enabled ? "Auto top-up is on." : "Auto top-up is off." });
    } catch {
      setMessage({ kind: "error", text: "Could not reach the server. Check your connection and try again." });
    } finally {
      setSaving(false);
    }
  }

  const disabledByFailure = !data.enabled && data.disabledReason;
  return (
    <TitledCard
      id="auto-top-up-heading"
      anchor="auto-top-up"
      title="Auto top-up"
      description="Buy a credit pack automatically when your remaining credits run low, with a monthly cap and a cooldown."
      action={<Badge tone={data.enabled ? "success" : "neutral"}>{data.enabled ? "On" : "Off"}</Badge>}
    >
      <CardBody className="space-y-6">
        {isError ? (
          <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-inset ring-amber-200">
            Couldn’t refresh auto top-up; showing the last known state.
          </p>
        ) : null}
        {disabledByFailure ? (
          <div role="alert" className="rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-inset ring-red-200">
            <p className="font-semibold">
              Auto top-up was turned off
              {data.disabledAt ? (
                <>
                  {" "}
                  on <LocalTime iso={data.disabledAt} />
                </>
              ) : null}
              .
            </p>
            <p className="mt-1">
              {data.disabledReason}{" "}
              {canManage
                ? "Save a new card if needed, then turn auto top-up back on."
                : "A workspace owner can update the card and turn it back on."}
            </p>
          </div>
        ) : null}

        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className="text-sm text-slate-700">
            <span className="font-medium text-slate-900">Card: </span>
            {data.card ? (
              <span>
                <span className="capitalize">{data.card.brand}</span> ending in {data.card.last4}
              </span>
            ) : (
              <span>no card saved</span>
            )}
          </p>
          {canManage ? (
            <Button
              variant="secondary"
              disabled={setup.pending !== null}
              onClick={() => setup.go("setup", "/api/stripe/auto-top-up/setup")}
            >
              {setup.pending ? "Opening Stripe…" : data.card ? "Replace card" : "Save a card"}
            </Button>
          ) : null}
        </div>
        {setup.error ? <FormAlert>{setup.error}</FormAlert> : null}

        {canManage ? (
          <form onSubmit={save} noValidate className="space-y-4" aria-label="Auto top-up settings">
            <label className="flex items-center gap-2 text-sm font-medium text-slate-900">
              <input
                type="checkbox"
                name="enabled"
                defaultChecked={data.enabled}
                key={String(data.enabled)}
                className="size-4 rounded border-slate-300 text-indigo-600"
              />
              Turn on auto top-up
            </label>
            {fields.enabled ? <p className="text-sm text-red-600">{fields.enabled}</p> : null}
            <div className="grid max-w-3xl gap-4 sm:grid-cols-2">
              {limit("threshold_credits", data.thresholdCredits)}
              <SelectField id="atu-pack" name="pack_id" label="Buy this pack" defaultValue={data.packId} error={fields.pack_id}>
                {packs.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name} — {formatCredits(p.credits)} credits, {formatCents(p.priceCents)}
                  </option>
                ))}
              </SelectField>
              {limit("monthly_cap", data.monthlyCap)}
              {limit("cooldown_minutes", data.cooldownMinutes)}
            </div>
            <div className="flex flex-wrap items-center gap-3">
              <Button type="submit" disabled={saving}>
                {saving ? "Saving…" : "Save auto top-up settings"}
              </Button>
              {message ? (
                message.kind === "ok" ? (
                  <p role="status" className="text-sm text-emerald-700">
                    {message.text}
                  </p>
                ) : (
                  <FormAlert>{message.text}</FormAlert>
                )
              ) : null}
            </div>
          </form>
        ) : (
          <dl className="grid gap-4 text-sm sm:grid-cols-4">
            <div>
              <dt className="text-slate-500">Below</dt>
              <dd className="font-medium text-slate-900">{formatCredits(data.thresholdCredits)} credits</dd>
            </div>
            <div>
              <dt className="text-slate-500">Buys</dt>
              <dd className="font-medium text-slate-900">{packName(data.packId)}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Monthly cap</dt>
              <dd className="font-medium text-slate-900">{data.monthlyCap} purchases</dd>
            </div>
            <div>
              <dt className="text-slate-500">Cooldown</dt>
              <dd className="font-medium text-slate-900">{data.cooldownMinutes} minutes</dd>
            </div>
          </dl>
        )}
        <p className="text-sm text-slate-600">
          This month: {data.purchasesThisMonth} of {data.monthlyCap} purchases
          {data.enabled && selectedPack
            ? ` · each buys ${formatCredits(selectedPack.credits)} credits for ${formatCents(selectedPack.priceCents)}`
            : ""}
          .{!canManage ? " Only workspace owners can change auto top-up." : ""}
        </p>

        <div>
          <h3 id="auto-top-up-history" className="text-sm font-semibold text-slate-900">
            History
          </h3>
          {data.attempts.length === 0 ? (
            <p className="mt-2 text-sm text-slate-500">No auto top-ups yet. Each one will be listed here with its outcome.</p>
          ) : (
            <>
              <ul className="mt-2 divide-y divide-slate-100 sm:hidden" aria-label="Auto top-up history">
                {data.attempts.map((a) => (
                  <li key={a.id} className="py-3 text-sm">
                    <div className="flex items-center justify-between gap-3">
                      <LocalTime iso={a.createdAt} className="text-slate-700" />
                      <Badge tone={OUTCOME[a.status].tone}>{OUTCOME[a.status].label}</Badge>
                    </div>
                    <p className="mt-1 text-slate-700">
                      {a.packId ? `${packName(a.packId)}${a.credits ? ` · ${formatCredits(a.credits)} credits` : ""}` : "—"}
                      {a.amountCents != null ? ` · ${formatCents(a.amountCents)}` : ""}
                    </p>
                    <p className="mt-0.5 text-slate-600">{outcomeNote(a)}</p>
                  </li>
                ))}
              </ul>
              <Table
                look="plain"
                inset={false}
                labelledBy="auto-top-up-history"
                scrollClassName="mt-2 hidden sm:block"
                className="min-w-[36rem]"
                rows={data.attempts}
                rowClassName="align-top last:border-0"
                columns={[
                  { header: "When", cellClassName: "whitespace-nowrap text-slate-700", cell: (a) => <LocalTime iso={a.createdAt} /> },
                  {
                    header: "Pack",
                    cellClassName: "text-slate-700",
                    cell: (a) => (a.packId ? `${packName(a.packId)}${a.credits ? ` · ${formatCredits(a.credits)} credits` : ""}` : "—"),
                  },
                  {
                    header: "Amount",
                    align: "right",
                    cellClassName: "text-slate-700",
                    cell: (a) => (a.amountCents != null ? formatCents(a.amountCents) : "—"),
                  },
                  { header: "Outcome", cell: (a) => <Badge tone={OUTCOME[a.status].tone}>{OUTCOME[a.status].label}</Badge> },
                  { header: "Details", cellClassName: "text-slate-600", cell: (a) => outcomeNote(a) },
                ]}
              />
            </>
          )}
        </div>
      </CardBody>
    </TitledCard>
  );
}
