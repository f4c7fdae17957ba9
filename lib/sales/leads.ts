import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { appUrl } from "@/lib/env";
import { now } from "@/lib/clock";
import { AppError, fieldErrors } from "@/lib/errors";
import { hitRateLimit } from "@/lib/rate-limit";
import { emailSchema } from "@/lib/auth/schemas";
import { sendMail } from "@/lib/mail";
import { salesLeadMail } from "@/lib/mail/templates";
import { formatInteger } from "@/lib/format";
import type { LeadContent } from "@/lib/sales/lead";

/**
 * "Contact sales" (the public /contact-sales page): a visitor's request is validated, throttled, stored
 * as a SalesLead and mailed to every operator (User.isAdmin) through the outbox. Operators then find it
 * in /admin/leads (lib/admin/sales-leads.ts).
 *
 * The form is public, so three limits keep it from being used to flood the operators' inboxes: per
 * client address and per reply address (LEAD_LIMITS, refused with 429 rate_limited), and a cap on the
 * operator mails of all leads together (OPERATOR_MAIL_LIMIT): past it, leads are still stored and listed
 * in the console but no longer mailed until the hour is over.
 */

const HOUR_MS = 60 * 60 * 1000;
/** Leads per client address (any reply address) and per reply address (any client) in an hour. */
export const LEAD_LIMITS = { perIp: 5, perEmail: 3 } as const;
/** Leads mailed to the operators per hour, across every visitor. */
export const OPERATOR_MAIL_LIMIT = 30;

export const LEAD_MAX = { name: 100, company: 120, message: 5000, credits: 1_000_000_000 } as const;
export const LEAD_SOURCES = ["pricing", "billing"] as const;
export type LeadSource = (typeof LEAD_SOURCES)[number];

const NUL_MESSAGE = "This field contains a NUL character (\\0), which can't be stored. Remove it and try again.";
const noNul = (v: string) => !v.includes("\u0000");

/** A text field: NUL refused before anything else, then trimmed and bounded; `line` refuses line breaks. */
function text(what: { required: string; max: number; label: string; line?: boolean }) {
  let inner = z
    .string()
    .trim()
    .min(1, what.required)
    .max(what.max, `Use at most ${formatInteger(what.max)} characters for ${what.label}.`);
  if (what.line) inner = inner.refine((v) => !/[\r\n]/.test(v), `Keep ${what.label} on one line.`);
  return z.string({ error: what.required }).refine(noNul, NUL_MESSAGE).pipe(inner);
}

/** "50,000", "50 000" and "50000" alike; empty means not given. */
const expectedCredits = z
  .union([z.string(), z.number()], { error: "Enter a whole number of credits a month, like 50,000." })
  .optional()
  .transform((v, ctx) => {
    if (v === undefined) return null;
    const raw = String(v);
    if (!noNul(raw)) {
      ctx.addIssue({ code: "custom", message: NUL_MESSAGE });
      return z.NEVER;
    }
    const digits = raw.trim().replace(/[\s,_']/g, "");
    if (digits === "") return null;
    if (!/^\d+$/.test(digits)) {
      ctx.addIssue({ code: "custom", message: "Enter a whole number of credits a month, like 50,000." });
      return z.NEVER;
    }
    const credits = digits.length > 12 ? Number.POSITIVE_INFINITY : Number(digits);
    if (credits > LEAD_MAX.credits) {
      ctx.addIssue({
        code: "custom",
        message: `Enter at most ${formatInteger(LEAD_MAX.credits)} credits; for more, say so in the message.`,
      });
      return z.NEVER;
    }
    return credits;
  });

export const salesLeadSchema = z.object({
  name: text({ required: "Enter your name.", max: LEAD_MAX.name, label: "your name", line: true }),
  email: z.string({ error: "Enter your email address." }).refine(noNul, NUL_MESSAGE).pipe(emailSchema),
  company: text({ required: "Enter your company or project.", max: LEAD_MAX.company, label: "the company", line: true }),
  expectedMonthlyCredits: expectedCredits,
  message: text({ required: "Tell us a little about what you need.", max: LEAD_MAX.message, label: "the message" }),
  // Set by the page from the link that led here, not typed: anything unexpected is dropped, not refused.
  planId: z
    .string()
    .regex(/^[a-z0-9_-]{1,40}$/)
    .optional()
    .catch(undefined),
  source: z.enum(LEAD_SOURCES).optional().catch(undefined),
});
export type SalesLeadInput = z.input<typeof salesLeadSchema>;

export type SubmittedLead = { id: string; email: string; name: string; mailedOperators: number };

/** Counts a lead from `ip` for `email`; throws 429 rate_limited when either is over its hourly limit. */
async function throttle(ip: string, email: string, at: Date): Promise<void> {
  const [byIp, byEmail] = await Promise.all([
    hitRateLimit(`sales:ip:${ip}`, LEAD_LIMITS.perIp, HOUR_MS, at),
    hitRateLimit(`sales:email:${email}`, LEAD_LIMITS.perEmail, HOUR_MS, at),
  ]);
  const refused = [byIp, byEmail].filter((r) => !r.allowed);
  if (refused.length === 0) return;
  const retryAt = new Date(Math.max(...refused.map((r) => r.resetAt.getTime())));
  const minutes = Math.max(1, Math.ceil((retryAt.getTime() - at.getTime()) / 60_000));
  throw new AppError(
    "rate_limited",
    `We already have several requests from you this hour. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}, or wait for our reply.`,
    {
      details: { retry_at: retryAt.toISOString() },
    },
  );
}

/**
 * Stores a Contact-sales request and mails it to every operator. `input` is what the form sent (checked
 * here, whoever calls); `from` is who sent it: the client address for the throttle, and the signed-in
 * user and their current workspace, taken from the session (never from the form).
 * Throws 422 validation_failed with `details.fields` for bad input and 429 rate_limited when throttled.
 */
export async function submitSalesLead(
  input: unknown,
  from: { ip: string; userId?: string | null; workspaceId?: string | null; at?: Date },
): Promise<SubmittedLead> {
  const parsed = salesLeadSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError("validation_failed", "Some fields need another look: see the messages below them.", {
      details: { fields: fieldErrors(parsed.error.issues) },
    });
  }
  const lead = parsed.data;
  const at = from.at ?? now();
  // Counted only for well-formed requests: a typo corrected is not a second lead.
  await throttle(from.ip, lead.email, at);

  const plan = lead.planId ? await db.plan.findUnique({ where: { id: lead.planId }, select: { id: true, name: true } }) : null;
  const row = await db.salesLead.create({
    data: {
      name: lead.name,
      email: lead.email,
      company: lead.company,
      expectedMonthlyCredits: lead.expectedMonthlyCredits,
      message: lead.message,
      planId: plan?.id ?? null,
      source: lead.source ?? null,
      userId: from.userId ?? null,
      workspaceId: from.workspaceId ?? null,
      createdAt: at,
    },
    select: { id: true },
  });

  const mailed = await mailOperators({ ...lead, id: row.id, planName: plan?.name ?? null, workspaceId: from.workspaceId ?? null }, at);
  return { id: row.id, email: lead.email, name: lead.name, mailedOperators: mailed };
}

/** One outbox message per live operator, unless the hourly cap on lead mails is reached. Returns how many went out. */
async function mailOperators(
  lead: LeadContent & {
    id: string;
    planName: string | null;
    source?: LeadSource;
    workspaceId: string | null;
  },
  at: Date,
): Promise<number> {
  const cap = await hitRateLimit("sales:operator-mail", OPERATOR_MAIL_LIMIT, HOUR_MS, at);
  if (!cap.allowed) {
    console.warn(
      `[sales] lead ${lead.id} stored but not mailed: over ${OPERATOR_MAIL_LIMIT} lead mails this hour (operators see it in /admin/leads)`,
    );
    return 0;
  }
  const [operators, workspace] = await Promise.all([
    db.user.findMany({ where: { isAdmin: true, deletedAt: null }, select: { email: true }, orderBy: { createdAt: "asc" } }),
    lead.workspaceId ? db.workspace.findUnique({ where: { id: lead.workspaceId }, select: { name: true } }) : null,
  ]);
  const content = salesLeadMail({
    name: lead.name,
    email: lead.email,
    company: lead.company,
    expectedMonthlyCredits: lead.expectedMonthlyCredits,
    message: lead.message,
    planName: lead.planName,
    source: lead.source ?? null,
    workspaceName: workspace?.name ?? null,
    url: appUrl("/admin/leads"),
  });
  // sendMail never throws: a failed delivery is recorded on its outbox row, and the lead is stored anyway.
  await Promise.all(operators.map((o) => sendMail({ kind: "sales_lead", to: o.email, replyTo: lead.email, ...content })));
  return operators.length;
}
