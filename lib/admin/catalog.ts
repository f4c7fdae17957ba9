import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError, fieldErrors } from "@/lib/errors";
import { FREE_PLAN_ID } from "@/lib/credits";
import { ENTITLEMENT_KEY } from "@/lib/teams/limits";

/**
 * Plans and credit packs, edited by operators (a plan's seats and entitlements: lib/teams/plan-limits.ts). Nothing sold is ever deleted: a plan or pack is
 * deactivated (hidden from the pricing page, the plan picker and checkout) and workspaces on it keep it.
 * What was sold keeps its terms — a pack's credits travel in its Checkout Session's metadata, a plan's
 * Stripe Price is found by a lookup key that includes the amount (lib/billing/stripe/prices.ts), and an
 * allowance change applies from each workspace's next period. Every save is in the audit log, before → after.
 */

const MAX_CENTS = 100_000_000;

/** "$9.99", "9.99", "10" → cents, without floating point. */
const dollars = z
  .string({ error: "Enter a price, e.g. 9.99." })
  .trim()
  .regex(/^\$?\d{1,7}(\.\d{1,2})?$/, "Enter a price in dollars, e.g. 9.99.")
  .transform((v) => {
    const [whole = "0", fraction = ""] = v.replace("$", "").split(".");
    return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  })
  .pipe(z.number().int().max(MAX_CENTS, "At most $1,000,000."));

const optionalCount = (max: number, message: string) =>
  z
    .string()
    .trim()
    .transform((v) => (v === "" ? null : v))
    .pipe(z.coerce.number<string>({ error: message }).int(message).min(0, message).max(max, message).nullable());

const reason = z
  .string({ error: "Say why (the audit log keeps it)." })
  .trim()
  .min(1, "Say why (the audit log keeps it).")
  .max(500, "Keep the reason under 500 characters.");
const name = z.string().trim().min(1, "Give it a name.").max(60, "Use at most 60 characters.");

const planSchema = z.object({
  name,
  monthlyCredits: optionalCount(100_000_000, "Credits a month: a whole number, or empty for unlimited."),
  priceMonthly: dollars,
  priceYearly: dollars,
  trialDays: z.coerce
    .number<string>({ error: "Trial days: 0 to 365." })
    .int("Trial days: 0 to 365.")
    .min(0, "Trial days: 0 to 365.")
    .max(365, "Trial days: 0 to 365."),
  active: z.boolean(),
  reason,
});
const packSchema = z.object({
  name,
  credits: z.coerce
    .number<string>({ error: "Credits: a whole number from 1." })
    .int("Credits: a whole number from 1.")
    .min(1, "Credits: a whole number from 1.")
    .max(100_000_000, "At most 100,000,000 credits."),
  price: dollars.refine((c) => c >= 50, "Stripe charges at least $0.50."),
  validityDays: optionalCount(3650, "Valid for: a number of days up to 3,650, or empty for never expiring."),
  active: z.boolean(),
  reason,
});
const packId = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_]{2,39}$/, "3 to 40 lowercase letters, digits or _, e.g. growth_5000.");

export type PlanFormInput = { [K in keyof z.input<typeof planSchema>]?: unknown };
export type PackFormInput = { [K in keyof z.input<typeof packSchema>]?: unknown } & { id?: unknown };

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    throw new AppError("invalid_request", "Check the highlighted fields.", { details: { fields: fieldErrors(parsed.error.issues) } });
  return parsed.data;
}

export function listCatalog() {
  return Promise.all([
    db.plan.findMany({ orderBy: [{ sortOrder: "asc" }] }),
    db.creditPack.findMany({ orderBy: [{ sortOrder: "asc" }, { createdAt: "asc" }] }),
  ]);
}

export async function updatePlan(id: string, input: PlanFormInput, operatorId: string) {
  const v = parse(planSchema, input);
  if (id === FREE_PLAN_ID && !v.active)
    throw new AppError("invalid_request", "The Free plan is where every new and lapsed workspace lands: it stays active.", {
      details: { fields: { active: "The Free plan stays active." } },
    });
  return db.$transaction(async (tx) => {
    const before = await tx.plan.findUnique({ where: { id } });
    if (!before) throw new AppError("not_found", "No such plan.");
    const data = {
      name: v.name,
      monthlyCredits: v.monthlyCredits,
      priceMonthlyCents: v.priceMonthly,
      priceYearlyCents: v.priceYearly,
      trialDays: v.trialDays,
      active: v.active,
    };
    const after = await tx.plan.update({ where: { id }, data });
    const pick = (p: typeof before) => ({
      name: p.name,
      monthlyCredits: p.monthlyCredits,
      priceMonthlyCents: p.priceMonthlyCents,
      priceYearlyCents: p.priceYearlyCents,
      trialDays: p.trialDays,
      active: p.active,
    });
    await tx.auditLog.create({
      data: {
        actorUserId: operatorId,
        action: "plan.update",
        targetType: "plan",
        targetId: id,
        reason: v.reason,
        data: { before: pick(before), after: pick(after) },
        createdAt: now(),
      },
    });
    return after;
  });
}

export async function savePack(input: PackFormInput, operatorId: string, options: { create: boolean }) {
  const v = parse(packSchema, input);
  const id = parse(z.object({ id: packId }), { id: input.id }).id;
  return db.$transaction(async (tx) => {
    const before = await tx.creditPack.findUnique({ where: { id } });
    if (options.create && before)
      throw new AppError("conflict", `A pack with the id ${id} exists already.`, {
        details: { fields: { id: "This id is taken: packs are never deleted." } },
      });
    if (!options.create && !before) throw new AppError("not_found", "No such credit pack.");
    const data = { name: v.name, credits: v.credits, priceCents: v.price, validityDays: v.validityDays, active: v.active };
    const after = before
      ? await tx.creditPack.update({ where: { id }, data })
      : await tx.creditPack.create({ data: { id, ...data, sortOrder: (await tx.creditPack.count()) + 1 } });
    const pick = (p: typeof after) => ({
      name: p.name,
      credits: p.credits,
      priceCents: p.priceCents,
      validityDays: p.validityDays,
      active: p.active,
    });
    await tx.auditLog.create({
      data: {
        actorUserId: operatorId,
        action: before ? "pack.update" : "pack.create",
        targetType: "pack",
        targetId: id,
        reason: v.reason,
        data: before ? { before: pick(before), after: pick(after) } : pick(after),
        createdAt: now(),
      },
    });
    return after;
  });
}

/**
 * A plan's entitlements as operators type them, one per line: `roster.artists = 5` (or `= unlimited`).
 * Blank lines are skipped; anything else that is not `key = whole number | unlimited` is an error naming the line.
 */
export function parseEntitlementLines(text: string): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^([^\s=]+)\s*=\s*(unlimited|\d{1,10})$/.exec(line);
    if (!m || !ENTITLEMENT_KEY.test(m[1]!))
      throw new AppError("invalid_request", `Line ${i + 1}: write key = number or key = unlimited, e.g. roster.artists = 5.`, {
        details: { fields: { entitlements: `Line ${i + 1} is not key = number or key = unlimited.` } },
      });
    out[m[1]!] = m[2] === "unlimited" ? null : Number(m[2]);
  }
  return out;
}

export function entitlementLines(entitlements: Record<string, number | null>): string {
  return Object.entries(entitlements)
    .map(([k, v]) => `${k} = ${v === null ? "unlimited" : v}`)
    .join("\n");
}
