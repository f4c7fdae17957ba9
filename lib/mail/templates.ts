import type { LeadContent } from "@/lib/sales/lead";

/**
 * The account mails, each as plain text plus a simple HTML version. Links are absolute (appUrl), so
 * they work from any mail client and from the demo outbox page alike.
 */
export type MailContent = { subject: string; text: string; html: string };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/**
 * A short HTML document: paragraphs, an optional quoted text (kept as written), then one button-like
 * link; an optional unsubscribe line at the end.
 */
export function layout(
  paragraphs: string[],
  link: { url: string; label: string },
  footer: string,
  extra: { unsubscribe?: { url: string; label: string }; quote?: string } = {},
): string {
  const { unsubscribe, quote } = extra;
  const body =
    paragraphs.map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`).join("") +
    (quote
      ? `<blockquote style="margin:0 0 16px;padding:12px 16px;border-left:3px solid #c7d2fe;background:#f8fafc;white-space:pre-wrap">${escapeHtml(quote)}</blockquote>`
      : "");
  return [
    `<!doctype html><html><body style="font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#0f172a;line-height:1.5">`,
    `<div style="max-width:520px;margin:0 auto;padding:24px">`,
    `<p style="margin:0 0 24px;font-weight:700;color:#4f46e5">Creditbook</p>`,
    body,
    `<p style="margin:24px 0"><a href="${escapeHtml(link.url)}" style="background:#4f46e5;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none;font-weight:600">${escapeHtml(link.label)}</a></p>`,
    `<p style="margin:0 0 16px;font-size:13px;color:#475569">Or paste this link into your browser: ${escapeHtml(link.url)}</p>`,
    `<p style="margin:24px 0 0;font-size:13px;color:#64748b">${escapeHtml(footer)}</p>`,
    unsubscribe
      ? `<p style="margin:8px 0 0;font-size:13px;color:#64748b"><a href="${escapeHtml(unsubscribe.url)}" style="color:#475569">${escapeHtml(unsubscribe.label)}</a></p>`
      : "",
    `</div></body></html>`,
  ].join("");
}

export function verifyEmailMail(input: { url: string; bonusCredits: number | null; hours: number }): MailContent {
  const lead = input.bonusCredits
    ? `Confirm your email address to finish setting up your Creditbook account and receive your ${input.bonusCredits.toLocaleString("en-US")} bonus credits.`
    : "Confirm your email address to finish setting up your Creditbook account.";
  const footer = `The link works once and expires in ${input.hours} hours. If you did not create an account, ignore this message.`;
  return {
    subject: "Confirm your email address",
    text: `${lead}\n\nOpen this link to confirm:\n${input.url}\n\n${footer}\n`,
    html: layout([lead], { url: input.url, label: "Confirm my email" }, footer),
  };
}

export function resetPasswordMail(input: { url: string; minutes: number }): MailContent {
  const lead = "Someone (hopefully you) asked to reset the password of your Creditbook account.";
  const footer = `The link works once and expires in ${input.minutes} minutes. If you did not ask for this, ignore this message: your password stays as it is.`;
  return {
    subject: "Reset your Creditbook password",
    text: `${lead}\n\nChoose a new password here:\n${input.url}\n\n${footer}\n`,
    html: layout([lead], { url: input.url, label: "Choose a new password" }, footer),
  };
}

export function invitationMail(input: {
  url: string;
  workspaceName: string;
  inviter: string;
  role: "OWNER" | "MEMBER";
  days: number;
}): MailContent {
  const lead = `${input.inviter} invited you to join ${input.workspaceName} on Creditbook as ${input.role === "OWNER" ? "an owner" : "a member"}.`;
  const footer = `The link works once, only for this email address, and expires in ${input.days} days. If you did not expect it, ignore this message.`;
  return {
    subject: `Join ${input.workspaceName} on Creditbook`,
    text: `${lead}\n\nAccept the invitation here:\n${input.url}\n\n${footer}\n`,
    html: layout([lead], { url: input.url, label: "Accept the invitation" }, footer),
  };
}

/** To the owner of an address someone tried to sign up with again (sign-up answers the same either way). */
export function signUpAttemptMail(input: { signInUrl: string; resetUrl: string }): MailContent {
  const lead = "Someone (hopefully you) tried to create a Creditbook account with this email address, which already has one.";
  const second = `If it was you, sign in instead; if you forgot your password, choose a new one: ${input.resetUrl}`;
  const footer = "If it was not you, ignore this message: nothing was changed, and nobody was told that this address has an account.";
  return {
    subject: "You already have a Creditbook account",
    text: `${lead}\n\nSign in here:\n${input.signInUrl}\n\n${second}\n\n${footer}\n`,
    html: layout([lead, second], { url: input.signInUrl, label: "Sign in" }, footer),
  };
}

/** To every operator: a Contact-sales request, with the visitor's own words quoted as written. */
export function salesLeadMail(
  input: LeadContent & {
    planName: string | null;
    source: "pricing" | "billing" | null;
    workspaceName: string | null;
    url: string;
  },
): MailContent {
  const about = input.planName ? `about ${input.planName}` : "to sales";
  const lead = `${input.name} (${input.email}) at ${input.company} wrote ${about}${input.source ? ` from the ${input.source === "billing" ? "Settings → Billing page" : "pricing page"}` : ""}.`;
  const facts = [
    `Expected use: ${input.expectedMonthlyCredits === null ? "not given" : `${input.expectedMonthlyCredits.toLocaleString("en-US")} credits a month`}.`,
    input.workspaceName ? `Signed in, in the workspace ${input.workspaceName}.` : "Not signed in.",
  ];
  const footer = `Reply to this mail to answer ${input.email} directly. We promised a reply within one business day; mark the lead handled in the console once it is answered.`;
  return {
    subject: `Sales lead: ${input.company} (${input.name})`,
    text: `${lead}\n${facts.join("\n")}\n\nTheir message:\n${input.message}\n\nAll leads: ${input.url}\n\n${footer}\n`,
    html: layout([lead, ...facts, "Their message:"], { url: input.url, label: "Open sales leads" }, footer, { quote: input.message }),
  };
}
