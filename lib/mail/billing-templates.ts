import { formatCredits, formatMoney, formatUtc } from "@/lib/format";
import { layout, type MailContent } from "@/lib/mail/templates";

/**
 * The billing mails (lib/billing/notifications.ts sends them), each as plain text plus HTML. Money is
 * always shown with cents ($29.00) and every date is an instant in UTC stated in full ("Apr 8, 2031,
 * 00:00 UTC"), so nobody has to guess a time zone. Links are absolute (the configured public URL).
 *
 * Usage notices are optional mail: they carry an unsubscribe link (and List-Unsubscribe headers, added
 * by the sender). The others are about money already owed or charged and carry none.
 */

type Common = { workspaceName: string; billingUrl: string };
type Optional = Common & { unsubscribeUrl: string };

const when = (d: Date) => formatUtc(d.toISOString());

function compose(input: {
  subject: string;
  paragraphs: string[];
  link: { url: string; label: string };
  footer: string;
  unsubscribeUrl?: string;
}): MailContent {
  const unsubscribe = input.unsubscribeUrl ? { url: input.unsubscribeUrl, label: "Unsubscribe from usage notices" } : undefined;
  const text = [
    ...input.paragraphs,
    `${input.link.label}:\n${input.link.url}`,
    input.footer,
    ...(unsubscribe ? [`Don’t want usage notices? Unsubscribe here:\n${unsubscribe.url}`] : []),
  ].join("\n\n");
  return { subject: input.subject, text: `${text}\n`, html: layout(input.paragraphs, input.link, input.footer, { unsubscribe }) };
}

const billingLink = (url: string) => ({ url, label: "Open Settings → Billing" });
const whyOwner = (workspaceName: string) => `You get this because you are an owner of the workspace “${workspaceName}” on Creditbook.`;

export function usageThresholdMail(
  input: Optional & { planName: string; threshold: number; used: number; allowance: number; resetsAt: Date; nextPlanName: string | null },
): MailContent {
  const figures = `${formatCredits(input.used)} of ${formatCredits(input.allowance)} credits`;
  const paragraphs = [
    `“${input.workspaceName}” has used ${input.threshold}% of its ${input.planName} allowance this period (${figures}).`,
    `The allowance resets on ${when(input.resetsAt)}.` +
      (input.threshold >= 100
        ? " Until then, bonus and purchased credits are spent; buy a credit pack or upgrade to keep going."
        : input.nextPlanName
          ? ` If you need more before then, buy a credit pack or upgrade to ${input.nextPlanName}.`
          : " If you need more before then, buy a credit pack."),
  ];
  return compose({
    subject: `${input.workspaceName}: ${input.threshold}% of your ${input.planName} credits used`,
    paragraphs,
    link: billingLink(input.billingUrl),
    footer: `${whyOwner(input.workspaceName)} Choose the thresholds in Settings → Alerts.`,
    unsubscribeUrl: input.unsubscribeUrl,
  });
}

export function creditsExhaustedMail(input: Optional & { planName: string; used: number; allowance: number; resetsAt: Date }): MailContent {
  const paragraphs = [
    `“${input.workspaceName}” is out of credits: ${formatCredits(input.used)} of its ${formatCredits(input.allowance)} ${input.planName} credits are used this period and nothing else is left to spend.`,
    `New actions are refused (or queued, for actions that wait) until credits are added. The allowance resets on ${when(input.resetsAt)}; buy a credit pack or upgrade to continue before then. Your data is not affected.`,
  ];
  return compose({
    subject: `${input.workspaceName} is out of credits`,
    paragraphs,
    link: billingLink(input.billingUrl),
    footer: `${whyOwner(input.workspaceName)} Choose the thresholds in Settings → Alerts.`,
    unsubscribeUrl: input.unsubscribeUrl,
  });
}

export function trialEndingMail(
  input: Common & { planName: string; trialEnd: Date; amountCents: number | null; interval: "month" | "year"; cancelling: boolean },
): MailContent {
  const price = input.amountCents === null ? null : `${formatMoney(input.amountCents)} per ${input.interval}`;
  const paragraphs = input.cancelling
    ? [
        `The ${input.planName} trial of “${input.workspaceName}” ends on ${when(input.trialEnd)}.`,
        "You cancelled it, so nothing will be charged: the workspace returns to the Free plan when the trial ends. Resume the subscription in Settings → Billing to keep your plan.",
      ]
    : [
        `The ${input.planName} trial of “${input.workspaceName}” ends on ${when(input.trialEnd)}.`,
        `Then the subscription starts${price ? ` and your card is charged ${price}` : ""}. To change plans or cancel before then (nothing is charged if you cancel during the trial), open Settings → Billing.`,
      ];
  return compose({
    subject: `Your ${input.planName} trial ends on ${when(input.trialEnd)}`,
    paragraphs,
    link: billingLink(input.billingUrl),
    footer: `${whyOwner(input.workspaceName)} This is a notice about your subscription; it is sent regardless of notification settings.`,
  });
}

export function paymentFailedMail(
  input: Common & { planName: string; amountCents: number; pastDueSince: Date; pausesAt: Date; freeAt: Date; reason: string | null },
): MailContent {
  const paragraphs = [
    `We could not collect ${formatMoney(input.amountCents)} for the ${input.planName} plan of “${input.workspaceName}”${input.reason ? ` (${input.reason})` : ""}.`,
    "Your credits keep working for now. Stripe retries the card over the coming days.",
    `If the invoice is still unpaid on ${when(input.pausesAt)}, the workspace is paused: its plan credits stop working (bonus and purchased credits still work). If it is still unpaid on ${when(input.freeAt)}, the workspace returns to the Free plan.`,
    "Paying the invoice or updating the card in Settings → Billing restores everything at once. Your data is never affected.",
  ];
  return compose({
    subject: `Payment failed: ${formatMoney(input.amountCents)} for ${input.planName}`,
    paragraphs,
    link: { url: input.billingUrl, label: "Update your card in Settings → Billing" },
    footer: `${whyOwner(input.workspaceName)} This is a notice about a payment; it is sent regardless of notification settings.`,
  });
}

export type PlanChangeMail =
  | { change: "upgrade"; fromPlanName: string; toPlanName: string; allowance: number | null; trialEnd: Date | null }
  | { change: "downgrade_scheduled"; fromPlanName: string; toPlanName: string; effectiveAt: Date }
  | { change: "cancellation_scheduled"; planName: string; effectiveAt: Date; trial: boolean }
  | { change: "ended"; planName: string };

export function planChangedMail(input: Common & PlanChangeMail): MailContent {
  const footer = `${whyOwner(input.workspaceName)} This is a notice about your subscription; it is sent regardless of notification settings.`;
  const link = billingLink(input.billingUrl);
  switch (input.change) {
    case "upgrade": {
      const allowance = input.allowance === null ? "unlimited credits" : `${formatCredits(input.allowance)} credits a month`;
      return compose({
        subject: `${input.workspaceName} is now on ${input.toPlanName}`,
        paragraphs: [
          `“${input.workspaceName}” moved from ${input.fromPlanName} to ${input.toPlanName}, effective now: ${allowance}, available at once.`,
          input.trialEnd
            ? `This is a free trial until ${when(input.trialEnd)}; billing starts then.`
            : "Stripe sends the receipt for the change separately.",
        ],
        link,
        footer,
      });
    }
    case "downgrade_scheduled":
      return compose({
        subject: `${input.workspaceName} moves to ${input.toPlanName} on ${when(input.effectiveAt)}`,
        paragraphs: [
          `“${input.workspaceName}” moves from ${input.fromPlanName} to ${input.toPlanName} on ${when(input.effectiveAt)}, the end of the period you paid for.`,
          `Until then everything of ${input.fromPlanName} stays available. Changed your mind? Choose ${input.fromPlanName} again in Settings → Billing.`,
        ],
        link,
        footer,
      });
    case "cancellation_scheduled":
      return compose({
        subject: `${input.workspaceName}: ${input.planName} ends on ${when(input.effectiveAt)}`,
        paragraphs: [
          `The ${input.planName} subscription of “${input.workspaceName}” was cancelled. It ends on ${when(input.effectiveAt)}, and the workspace returns to the Free plan then${input.trial ? "; nothing is charged for the trial" : ""}.`,
          "Until then the plan stays as it is. To keep it, resume the subscription in Settings → Billing.",
        ],
        link,
        footer,
      });
    case "ended":
      return compose({
        subject: `${input.workspaceName}: the ${input.planName} subscription has ended`,
        paragraphs: [
          `The ${input.planName} subscription of “${input.workspaceName}” has ended, and the workspace is on the Free plan now. Purchased and bonus credits keep working; your data is not affected.`,
        ],
        link,
        footer,
      });
  }
}

export function autoTopUpFailedMail(
  input: Common & {
    packName: string | null;
    credits: number | null;
    amountCents: number | null;
    reason: string;
    balance: number;
    outcome: "declined" | "failed";
  },
): MailContent {
  const details = [
    input.credits !== null ? `${formatCredits(input.credits)} credits` : null,
    input.amountCents !== null ? formatMoney(input.amountCents) : null,
  ]
    .filter((part): part is string => part !== null)
    .join(", ");
  const what = input.packName ? `${input.packName}${details ? ` (${details})` : ""}` : "the credit pack";
  return compose({
    subject: `Auto top-up failed for ${input.workspaceName}`,
    paragraphs: [
      `The balance of “${input.workspaceName}” fell to ${formatCredits(input.balance)} credits, but the automatic purchase of ${what} ${input.outcome === "declined" ? "was declined" : "could not be made"}: ${input.reason}`,
      "Auto top-up is now switched off, so nothing more is charged automatically. Update the card and turn auto top-up back on, or buy a pack, in Settings → Billing.",
    ],
    link: billingLink(input.billingUrl),
    footer: `${whyOwner(input.workspaceName)} This is a notice about a payment; it is sent regardless of notification settings.`,
  });
}

/** A budget's threshold reached (allowance thresholds have usageThresholdMail and creditsExhaustedMail). */
export function limitReachedMail(
  input: Optional & { limitName: string; threshold: number; used: number; limit: number; resetsAt: Date | null; hard: boolean },
): MailContent {
  const figures = `${formatCredits(input.used)} of ${formatCredits(input.limit)} credits`;
  const resets = input.resetsAt ? `It resets on ${when(input.resetsAt)}.` : "It is a lifetime budget: it does not reset.";
  const effect =
    input.threshold >= 100
      ? input.hard
        ? "Calls that would pass it are refused (402 budget_exceeded) until it resets or an owner raises it."
        : "It is a soft budget: nothing is refused, this is only a notice."
      : "Nothing is refused yet.";
  return compose({
    subject: `${input.workspaceName}: ${input.threshold}% of ${input.limitName} used`,
    paragraphs: [`“${input.workspaceName}” has used ${input.threshold}% of ${input.limitName} (${figures}).`, `${effect} ${resets}`],
    link: { url: input.billingUrl, label: "Open the budgets in Settings" },
    footer: `${whyOwner(input.workspaceName)} Choose the thresholds in Settings → Alerts.`,
    unsubscribeUrl: input.unsubscribeUrl,
  });
}

/** An alert stopped holding (any limit): what it was and why it is over. */
export function limitResolvedMail(input: Optional & { limitName: string; threshold: number; because: string }): MailContent {
  return compose({
    subject: `${input.workspaceName}: resolved — ${input.threshold}% of ${input.limitName}`,
    paragraphs: [
      `The alert “${input.threshold}% of ${input.limitName}” for “${input.workspaceName}” has resolved: ${input.because}.`,
      "You will hear again if the threshold is crossed anew.",
    ],
    link: billingLink(input.billingUrl),
    footer: `${whyOwner(input.workspaceName)} Choose the thresholds in Settings → Alerts.`,
    unsubscribeUrl: input.unsubscribeUrl,
  });
}
