"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { InlineMessage } from "@/components/ui/field";
import { useActions } from "@/components/ui/form";
import { LocalTime } from "@/components/billing/local-time";
import { formatCredits } from "@/lib/format";
import type { KeyAction, KeyActionResult, KeyRow } from "@/components/api-keys/types";
import { useWithWorkspace } from "@/components/layout/workspace-scope";
import { BudgetPanel } from "@/components/budgets/budget-panel";
import type { BudgetActions } from "@/components/budgets/types";

type Actions = {
  revokeAction: KeyAction;
  updateCapAction: KeyAction;
  updateWebhookAction: KeyAction;
  updateOriginsAction: KeyAction;
  /** Workspace keys: their budgets (Settings → API keys). */
  budgetActions?: BudgetActions;
};

type Setting = {
  idPrefix: string;
  label: string;
  saveLabel: string;
  placeholder: string;
  hint: React.ReactNode;
  input: React.ComponentProps<"input">;
  mono: boolean;
};

/** The optional settings of a key (its webhook URL, its embed origins), each a field with its own Save. */
const SETTINGS: Record<"webhookUrl" | "allowedOrigins", Setting> = {
  webhookUrl: {
    idPrefix: "hook",
    label: "Webhook URL",
    saveLabel: "webhook URL",
    placeholder: "https://example.com/creditbook-events",
    hint: "We POST each queued event to this URL when it is charged, signed with this key’s signing secret. Leave it empty for no webhook.",
    input: { type: "url" },
    mono: false,
  },
  allowedOrigins: {
    idPrefix: "origins",
    label: "Embed origins",
    saveLabel: "embed origins",
    placeholder: "https://app.example.com, https://staging.example.com",
    hint: (
      <>
        The sites that may show this key’s billing panel in an iframe (<code>/embed/…</code> links), each as scheme://host[:port]. Empty:
        none may.
      </>
    ),
    input: { type: "text", inputMode: "url", autoComplete: "off", spellCheck: false },
    mono: true,
  },
};

/** One optional setting of a key: a field, Save, and what it does. */
function KeySettingForm({
  k,
  field,
  defaultValue,
  pending,
  onSubmit,
}: {
  k: KeyRow;
  field: keyof typeof SETTINGS;
  defaultValue: string;
  pending: boolean;
  onSubmit: (data: FormData) => void;
}) {
  const setting = SETTINGS[field];
  const id = `${setting.idPrefix}-${k.id}`;
  return (
    <form
      noValidate
      className="mt-3 max-w-xl"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(new FormData(e.currentTarget));
      }}
    >
      <input type="hidden" name="id" value={k.id} />
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">
        {setting.label}
        <span className="sr-only"> for {k.name}</span> <span className="font-normal text-slate-500">(optional)</span>
      </label>
      <div className="mt-1 flex items-center gap-2">
        <input
          id={id}
          name={field}
          {...setting.input}
          placeholder={setting.placeholder}
          defaultValue={defaultValue}
          aria-describedby={`${id}-hint`}
          className={`min-w-0 flex-1 rounded-md border-0 px-2 py-1.5 text-xs ring-1 ring-inset ring-slate-300 ${setting.mono ? "font-mono" : ""}`}
        />
        <Button type="submit" variant="secondary" disabled={pending} aria-label={`Save the ${setting.saveLabel} of ${k.name}`}>
          Save
        </Button>
      </div>
      <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
        {setting.hint}
      </p>
    </form>
  );
}

function KeyItem({
  k,
  canManage,
  revokeAction,
  updateCapAction,
  updateWebhookAction,
  updateOriginsAction,
  budgetActions,
}: { k: KeyRow; canManage: boolean } & Actions) {
  const { pending, error, run: runAction } = useActions<KeyActionResult>();
  const [editing, setEditing] = useState(false);
  const withWorkspace = useWithWorkspace();
  const [saved, setSaved] = useState<string | null>(null);
  const run = (action: KeyAction, data: FormData, done?: string) => {
    setSaved(null);
    runAction(
      () => action(withWorkspace(data)),
      () => {
        setEditing(false);
        if (done) setSaved(done);
      },
    );
  };
  const revoked = k.revokedAt !== null;
  return (
    <li className="flex flex-col gap-3 px-5 py-4 sm:flex-row sm:items-center sm:justify-between sm:px-6" aria-label={`Key ${k.name}`}>
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium text-slate-900">{k.name}</span>
          {revoked ? <Badge>Revoked</Badge> : <Badge tone="success">Active</Badge>}
        </div>
        <p className="mt-1 font-mono text-xs text-slate-500">{k.prefix}…</p>
        {k.allowedActions.length > 0 ? <p className="mt-1 text-xs text-slate-500">Only: {k.allowedActions.join(", ")}</p> : null}
        <p className="mt-1 text-xs text-slate-500">
          Created <LocalTime iso={k.createdAt} />
          {k.lastUsedAt ? (
            <>
              {" "}
              · last used <LocalTime iso={k.lastUsedAt} />
            </>
          ) : null}
          {k.revokedAt ? (
            <>
              {" "}
              · revoked <LocalTime iso={k.revokedAt} />
            </>
          ) : null}
        </p>
        {k.webhookUrl ? (
          <p className="mt-1 break-all text-xs text-slate-500">
            Webhook: <span className="font-mono">{k.webhookUrl}</span>
            {k.signingSecret ? (
              <>
                {" "}
                · signing secret <span className="font-mono">{k.signingSecret}</span>
              </>
            ) : null}
          </p>
        ) : null}
        {canManage && !revoked ? (
          <>
            <KeySettingForm
              k={k}
              field="webhookUrl"
              defaultValue={k.webhookUrl ?? ""}
              pending={pending}
              onSubmit={(data) => run(updateWebhookAction, data)}
            />
            <KeySettingForm
              k={k}
              field="allowedOrigins"
              defaultValue={k.allowedOrigins.join(", ")}
              pending={pending}
              onSubmit={(data) => run(updateOriginsAction, data, "Embed origins saved.")}
            />
          </>
        ) : null}
        {!canManage && k.allowedOrigins.length > 0 ? (
          <p className="mt-1 break-all text-xs text-slate-500">Embeds billing on: {k.allowedOrigins.join(", ")}</p>
        ) : null}
        <InlineMessage tone="success" className="mt-1 text-xs">
          {saved}
        </InlineMessage>
        {budgetActions && !revoked ? (
          <BudgetPanel
            label={k.name}
            target={{ scope: "api_key", apiKeyId: k.id }}
            budget={k.budget ?? null}
            canManage={canManage}
            actions={budgetActions}
          />
        ) : null}
        <InlineMessage className="mt-1">{error}</InlineMessage>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        {editing ? (
          <form
            className="flex items-center gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              run(updateCapAction, new FormData(e.currentTarget));
            }}
          >
            <input type="hidden" name="id" value={k.id} />
            <label htmlFor={`cap-${k.id}`} className="sr-only">
              Actions per hour for {k.name}
            </label>
            <input
              id={`cap-${k.id}`}
              name="hourlyCap"
              type="number"
              min={1}
              defaultValue={k.hourlyCap}
              className="w-24 rounded-md border-0 px-2 py-1.5 text-sm ring-1 ring-inset ring-slate-300"
            />
            <Button type="submit" variant="secondary" disabled={pending}>
              Save
            </Button>
          </form>
        ) : (
          <span className="text-sm tabular-nums text-slate-600">{formatCredits(k.hourlyCap)} actions / hour</span>
        )}
        {canManage && !revoked ? (
          <>
            {!editing ? (
              <Button variant="ghost" onClick={() => setEditing(true)} aria-label={`Edit the hourly cap of ${k.name}`}>
                Edit cap
              </Button>
            ) : null}
            <Button
              variant="secondary"
              className="text-red-700"
              disabled={pending}
              onClick={() => {
                if (!window.confirm(`Revoke “${k.name}”? Calls with it will fail at once.`)) return;
                const data = new FormData();
                data.set("id", k.id);
                run(revokeAction, data);
              }}
            >
              Revoke
            </Button>
          </>
        ) : null}
      </div>
    </li>
  );
}

export function KeyList({ keys, canManage, ...actions }: { keys: KeyRow[]; canManage: boolean } & Actions) {
  if (keys.length === 0)
    return <p className="px-6 py-5 text-sm text-slate-500">No keys yet. Create one above to connect your AI product.</p>;
  return (
    <ul className="divide-y divide-slate-100">
      {keys.map((k) => (
        <KeyItem key={k.id} k={k} canManage={canManage} {...actions} />
      ))}
    </ul>
  );
}
