"use client";

import { useState } from "react";
import { Form, SubmitButton, TextField, useFormAction } from "@/components/ui/form";
import { ALERT_THRESHOLDS } from "@/lib/alerts/rules";
import { formatCredits } from "@/lib/format";
import type { AlertAction } from "@/components/alerts/types";
import { WorkspaceField } from "@/components/layout/workspace-scope";

export type AlertSettingsProps = {
  thresholds: number[];
  webhookUrl: string | null;
  /** Null for unlimited plans. */
  allowance: number | null;
  planName: string;
  signingSecret: string | null;
};

/**
 * Thresholds as checkboxes (50 / 80 / 100 % and "None", which excludes the others) and the optional
 * alert webhook URL. Members see the same form read-only. The server action validates again.
 */
export function AlertSettingsForm({
  settings,
  canManage,
  action,
}: {
  settings: AlertSettingsProps;
  canManage: boolean;
  action: AlertAction;
}) {
  const [chosen, setChosen] = useState<number[]>(settings.thresholds);
  const [none, setNone] = useState(settings.thresholds.length === 0);
  const form = useFormAction(action);
  const thresholdError = Object.entries(form.fields).find(([k]) => k.startsWith("thresholds"))?.[1];

  const toggle = (t: number, on: boolean) => {
    form.dismiss();
    setChosen((c) => (on ? [...c, t].sort((a, b) => a - b) : c.filter((x) => x !== t)));
    if (on) setNone(false);
  };

  return (
    <Form state={form} className="space-y-6">
      <WorkspaceField />
      <fieldset disabled={!canManage} aria-describedby={thresholdError ? "thresholds-error" : "thresholds-help"}>
        <legend className="text-sm font-medium text-slate-900">Alert me when this period’s usage reaches</legend>
        <p id="thresholds-help" className="mt-1 text-sm text-slate-500">
          {settings.allowance === null
            ? `${settings.planName} is unlimited, so its allowance never alerts; the thresholds still apply to your budgets.`
            : `Percentages of the ${settings.planName} plan’s ${formatCredits(settings.allowance)} monthly credits, and of each budget. An alert fires once when a threshold is reached and resolves when it no longer holds; 100% also covers running out of credits.`}
        </p>
        <div className="mt-3 grid gap-2 sm:grid-cols-2 lg:grid-cols-4">
          {ALERT_THRESHOLDS.map((t) => (
            <label
              key={t}
              className="flex cursor-pointer items-start gap-3 rounded-lg px-3 py-2.5 ring-1 ring-inset ring-slate-200 has-checked:bg-indigo-50 has-checked:ring-indigo-300 has-disabled:cursor-default"
            >
              <input
                type="checkbox"
                name="thresholds"
                value={t}
                checked={chosen.includes(t)}
                onChange={(e) => toggle(t, e.currentTarget.checked)}
                className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600 accent-indigo-600"
              />
              <span className="text-sm">
                <span className="font-medium text-slate-900">{t}%</span>{" "}
                {settings.allowance !== null ? (
                  <span className="block text-slate-600">{formatCredits(Math.ceil((settings.allowance * t) / 100))} credits</span>
                ) : null}
              </span>
            </label>
          ))}
          <label className="flex cursor-pointer items-start gap-3 rounded-lg px-3 py-2.5 ring-1 ring-inset ring-slate-200 has-checked:bg-slate-100 has-checked:ring-slate-300 has-disabled:cursor-default">
            <input
              type="checkbox"
              name="none"
              checked={none}
              onChange={(e) => {
                form.dismiss();
                setNone(e.currentTarget.checked);
                if (e.currentTarget.checked) setChosen([]);
              }}
              className="mt-0.5 h-4 w-4 rounded border-slate-300 accent-indigo-600"
            />
            <span className="text-sm">
              <span className="font-medium text-slate-900">None</span> <span className="block text-slate-600">No usage alerts</span>
            </span>
          </label>
        </div>
        {thresholdError ? (
          <p id="thresholds-error" className="mt-2 text-sm text-red-600">
            {thresholdError}
          </p>
        ) : null}
      </fieldset>

      <div className="max-w-2xl space-y-2">
        <TextField
          id="alert-webhook"
          name="webhookUrl"
          type="url"
          inputMode="url"
          label="Alert webhook URL (optional)"
          placeholder="https://api.example.com/creditbook/alerts"
          defaultValue={settings.webhookUrl ?? ""}
          disabled={!canManage}
          aria-describedby={form.fields.webhookUrl ? "alert-webhook-error" : "alert-webhook-help"}
          onChange={() => form.dismiss()}
        />
        {form.fields.webhookUrl ? null : (
          <p id="alert-webhook-help" className="text-sm text-slate-600">
            Each alert is also POSTed here, signed, as{" "}
            <code className="rounded bg-slate-100 px-1 py-0.5 text-xs text-slate-800">limit_reached</code> and, when it resolves,{" "}
            <code className="rounded bg-slate-100 px-1 py-0.5 text-xs text-slate-800">limit_resolved</code> (and a failed auto top-up as{" "}
            <code className="rounded bg-slate-100 px-1 py-0.5 text-xs text-slate-800">auto_top_up.failed</code>), retried until your
            endpoint answers 2xx. Leave empty for in-app alerts and mail only.
          </p>
        )}
        {settings.signingSecret ? (
          <div className="rounded-md bg-slate-50 px-3 py-2.5 text-sm ring-1 ring-inset ring-slate-200">
            <label htmlFor="alert-signing-secret" className="font-medium text-slate-900">
              Signing secret
            </label>
            <input
              id="alert-signing-secret"
              readOnly
              value={settings.signingSecret}
              onFocus={(e) => e.currentTarget.select()}
              className="mt-1 block w-full rounded border-0 bg-white px-2 py-1.5 font-mono text-xs text-slate-900 ring-1 ring-inset ring-slate-300"
            />
            <p className="mt-1.5 text-xs text-slate-500">
              Verify the <code>Creditbook-Signature: t=…,v1=…</code> header: HMAC-SHA256 of <code>{"<t>.<body>"}</code> with this secret.
            </p>
          </div>
        ) : null}
      </div>

      {canManage ? (
        <div className="flex flex-wrap items-center gap-3">
          <SubmitButton pendingLabel="Saving…">Save alert settings</SubmitButton>
          <p role="status" className="text-sm text-emerald-700">
            {form.succeeded ? "Alert settings saved." : ""}
          </p>
        </div>
      ) : null}
    </Form>
  );
}
