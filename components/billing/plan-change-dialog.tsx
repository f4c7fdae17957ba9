"use client";

import type { PlanChangePreview } from "@/lib/billing/stripe/subscriptions";
import { Dialog } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/field";
import { allowanceOf, formatCents, formatCredits, formatUtcDay, perInterval } from "@/lib/format";
import type { Confirming } from "@/components/billing/plan-picker";

/**
 * The plan-change confirmation (components/billing/plan-picker.tsx): loaded on the first click on a plan,
 * so the Billing page does not ship or run it on load.
 */
export function PlanChangeDialog({
  confirming,
  onClose,
  onCancel,
  onConfirm,
}: {
  confirming: Confirming | null;
  onClose: () => void;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  return (
    <Dialog
      open={confirming !== null}
      onClose={onClose}
      title={confirming ? title(confirming) : ""}
      footer={
        <>
          <Button variant="secondary" onClick={onCancel} disabled={confirming?.submitting}>
            Cancel
          </Button>
          <Button onClick={onConfirm} disabled={!confirming?.preview || confirming.submitting}>
            {confirming?.submitting ? "Working…" : confirming?.preview ? confirmLabel(confirming.preview) : "Loading…"}
          </Button>
        </>
      }
    >
      {confirming ? <ChangeSummary confirming={confirming} /> : null}
    </Dialog>
  );
}

function title({ plan, preview }: Confirming): string {
  if (!preview) return `Change to ${plan.name}`;
  return preview.direction === "upgrade" ? `Upgrade to ${plan.name}?` : `Switch to ${plan.name} on ${formatUtcDay(preview.effectiveAt)}?`;
}

function confirmLabel(preview: PlanChangePreview): string {
  if (preview.effective === "period_end") return "Schedule the switch";
  return preview.dueNowCents > 0 ? `Pay ${formatCents(preview.dueNowCents)} and upgrade` : `Upgrade now`;
}

/** The confirmation's facts: today, what changes now and what from when. */
function ChangeSummary({ confirming }: { confirming: Confirming }) {
  const { preview, error } = confirming;
  if (!preview) {
    return error ? <FormAlert>{error}</FormAlert> : <p aria-busy="true">Asking Stripe what this change costs today…</p>;
  }
  const rows: [string, string][] =
    preview.effective === "now"
      ? [
          [
            "Due today",
            preview.trial
              ? "$0 — your free trial continues"
              : `${formatCents(preview.dueNowCents)}${preview.dueNowCents > 0 ? " (the rest of this billing period, prorated)" : ""}`,
          ],
          [
            "Credits now",
            preview.creditsNow > 0
              ? `+${formatCredits(preview.creditsNow)} credits this period, at once`
              : `${allowanceOf(preview.to)} from now`,
          ],
          [
            preview.trial ? "When the trial ends" : "Then",
            `${formatCents(preview.nextCharge.amountCents)} ${perInterval(preview.to.interval)}, next charged on ${formatUtcDay(preview.nextCharge.at)}`,
          ],
        ]
      : [
          ["Due today", "$0"],
          [`Until ${formatUtcDay(preview.effectiveAt)}`, `You keep ${preview.from.name} and its ${allowanceOf(preview.from)}`],
          [
            `From ${formatUtcDay(preview.effectiveAt)}`,
            `${preview.to.name}: ${allowanceOf(preview.to)} for ${formatCents(preview.to.priceCents)} ${perInterval(preview.to.interval)}`,
          ],
        ];
  return (
    <>
      <dl className="divide-y divide-slate-100 rounded-lg ring-1 ring-inset ring-slate-200">
        {rows.map(([term, detail]) => (
          <div key={term} className="grid gap-1 px-4 py-3 sm:grid-cols-3 sm:gap-4">
            <dt className="font-medium text-slate-900">{term}</dt>
            <dd className="tabular-nums text-slate-700 sm:col-span-2">{detail}</dd>
          </div>
        ))}
      </dl>
      {preview.effective === "period_end" ? <p className="mt-3">You can undo this on the Billing page until then.</p> : null}
      {error ? <FormAlert className="mt-3">{error}</FormAlert> : null}
    </>
  );
}
