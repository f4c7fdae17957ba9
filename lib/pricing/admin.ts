import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError, fieldErrors } from "@/lib/errors";
import type { ActionCategory, ActionPrice, OutOfCreditsPolicy } from "@/lib/generated/prisma/client";

/**
 * The operators' price table editor. Rows of ActionPrice are never updated: a change inserts the next
 * version of the action, effective at once or at a chosen future instant, and the price in force at any
 * instant is the highest version whose effectiveFrom has passed (lib/pricing/prices.ts, credits_charge).
 * Every change writes an AuditLog entry (price.update) with the reason and the before/after values, in
 * the same transaction as the new version.
 */

export const MAX_PRICE_CREDITS = 1_000_000;
/** How far ahead a change may be scheduled. */
export const MAX_SCHEDULE_MS = 366 * 86_400_000;

export const POLICIES = ["REJECT", "RATE_LIMIT", "QUEUE"] as const satisfies readonly OutOfCreditsPolicy[];
export const POLICY_LABELS: Record<OutOfCreditsPolicy, string> = {
  REJECT: "Reject (402)",
  RATE_LIMIT: "Rate-limit until the reset (429)",
  QUEUE: "Queue until credits arrive",
};

/** The editable terms of a price version. */
export type PriceTerms = {
  credits: number;
  reserveCredits: number | null;
  policy: OutOfCreditsPolicy;
  provider: string | null;
  sync: boolean;
};

const PRICE_FIELDS = ["credits", "reserveCredits", "policy", "provider", "sync"] as const satisfies readonly (keyof PriceTerms)[];

function termsOf(p: PriceTerms): PriceTerms {
  return { credits: p.credits, reserveCredits: p.reserveCredits, policy: p.policy, provider: p.provider, sync: p.sync };
}

/** A whole number of credits from a form (a string) or from code (a number). */
function wholeCredits(what: string) {
  return z.union([z.number(), z.string().trim().min(1, `Enter the ${what}.`)], { error: `Enter the ${what}.` }).pipe(
    z.coerce
      .number<string | number>({ error: `Enter the ${what} as a whole number.` })
      .int(`Use a whole number for the ${what}.`)
      .min(0, `The ${what} cannot be negative.`)
      .max(MAX_PRICE_CREDITS, `At most ${MAX_PRICE_CREDITS.toLocaleString("en-US")} credits.`),
  );
}

export const priceChangeSchema = z.object({
  actionKey: z.string().trim().min(1, "Choose an action."),
  credits: wholeCredits("credits"),
  /** Empty or null: the hold is the price itself. */
  reserveCredits: z.preprocess((v) => (v === "" || v === undefined ? null : v), wholeCredits("reserve").nullable()),
  policy: z.enum(POLICIES, { error: "Choose what happens when a workspace is out of credits." }),
  provider: z
    .union([z.null(), z.string()])
    .default(null)
    .transform((v) => v?.trim() || null)
    .pipe(
      z.union([
        z.null(),
        z
          .string()
          .max(60, "Use at most 60 characters for the provider.")
          .regex(/^[\w .:/-]+$/, "Use letters, digits, spaces and . : / - _ only."),
      ]),
    ),
  sync: z.boolean(),
  /** null: effective immediately. Otherwise an instant in the future (ISO 8601 with an offset, or a Date). */
  effectiveFrom: z.preprocess(
    (v) =>
      v === "" || v === undefined ? null : typeof v === "string" && z.iso.datetime({ offset: true }).safeParse(v).success ? new Date(v) : v,
    z.date({ error: "Choose a valid date and time." }).nullable(),
  ),
  reason: z
    .string({ error: "Say why the price changes." })
    .trim()
    .min(1, "Say why the price changes.")
    .max(500, "Keep the reason under 500 characters."),
});

/** Typed values from code, or the strings of a form: the schema coerces and checks either. */
export type PriceChangeInput = { [K in keyof z.input<typeof priceChangeSchema>]?: unknown };

function invalid(fields: Record<string, string>): AppError {
  return new AppError("validation_failed", Object.values(fields)[0] ?? "Check the form.", { details: { fields } });
}

type Version = Pick<ActionPrice, "version" | "effectiveFrom">;

/** The version in force at `at`: the highest one whose effectiveFrom has passed. */
export function versionInForce<V extends Version>(versions: readonly V[], at: Date): V | null {
  let best: V | null = null;
  for (const v of versions) if (v.effectiveFrom <= at && (!best || v.version > best.version)) best = v;
  return best;
}

export type VersionState = "in_force" | "scheduled" | "past" | "never";

/**
 * When each version is in force: from its effectiveFrom until the earliest effectiveFrom of any higher
 * version. A higher version that starts no later than this one means this one never applies (an
 * immediate change made while a change was scheduled replaces the scheduled one).
 */
export function versionTimeline<V extends Version>(
  versions: readonly V[],
  at: Date,
): Map<number, { state: VersionState; until: Date | null }> {
  const out = new Map<number, { state: VersionState; until: Date | null }>();
  for (const v of versions) {
    let until: Date | null = null;
    for (const w of versions) if (w.version > v.version && (!until || w.effectiveFrom < until)) until = w.effectiveFrom;
    const state: VersionState =
      until && until <= v.effectiveFrom ? "never" : v.effectiveFrom > at ? "scheduled" : until && until <= at ? "past" : "in_force";
    out.set(v.version, { state, until: state === "never" ? null : until });
  }
  return out;
}

/**
 * Inserts the next version of an action's price and its audit entry. Concurrent edits of one action are
 * serialised by a transaction-scoped advisory lock on the action key (the unique (actionKey, version)
 * index is the backstop): each reads the latest version after the previous one committed.
 */
export async function changeActionPrice(
  raw: PriceChangeInput,
  actorUserId: string,
): Promise<{ price: ActionPrice; auditId: string; replaced: number[] }> {
  const parsed = priceChangeSchema.safeParse(raw);
  if (!parsed.success) throw invalid(fieldErrors(parsed.error.issues));
  const input = parsed.data;
  const at = now();
  if (input.effectiveFrom) {
    if (input.effectiveFrom.getTime() <= at.getTime())
      throw invalid({ effectiveFrom: "Choose a time in the future, or make the change effective immediately." });
    if (input.effectiveFrom.getTime() - at.getTime() > MAX_SCHEDULE_MS)
      throw invalid({ effectiveFrom: "Schedule the change at most a year ahead." });
  }
  const effectiveFrom = input.effectiveFrom ?? at;
  const terms: PriceTerms = {
    credits: input.credits,
    reserveCredits: input.reserveCredits,
    policy: input.policy,
    provider: input.provider,
    sync: input.sync,
  };

  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`ActionPrice:${input.actionKey}`}, 0))`;
    const versions = await tx.actionPrice.findMany({ where: { actionKey: input.actionKey }, orderBy: { version: "desc" } });
    const latest = versions[0];
    if (!latest) throw new AppError("not_found", `Unknown action "${input.actionKey}".`, { details: { field: "actionKey" } });
    // What would apply at the new version's start without this change, and the scheduled versions it replaces.
    const before = versionInForce(versions, effectiveFrom) ?? latest;
    const timeline = versionTimeline(versions, at);
    const replaced = versions
      .filter((v) => v.effectiveFrom > effectiveFrom && timeline.get(v.version)?.state === "scheduled")
      .map((v) => v.version)
      .sort((a, b) => a - b);
    if (replaced.length === 0 && PRICE_FIELDS.every((f) => before[f] === terms[f])) {
      throw invalid({ credits: `Nothing changes: version ${before.version} already has these terms.` });
    }
    const price = await tx.actionPrice.create({
      data: {
        actionKey: latest.actionKey,
        version: latest.version + 1,
        name: latest.name,
        category: latest.category,
        active: latest.active,
        ...terms,
        effectiveFrom,
        createdById: actorUserId,
        reason: input.reason,
        createdAt: at,
      },
    });
    const audit = await tx.auditLog.create({
      data: {
        actorUserId,
        action: "price.update",
        targetType: "action_price",
        targetId: price.actionKey,
        reason: input.reason,
        data: {
          version: price.version,
          effectiveFrom: effectiveFrom.toISOString(),
          immediate: input.effectiveFrom === null,
          before: { version: before.version, ...termsOf(before) },
          after: { version: price.version, ...termsOf(price) },
          ...(replaced.length > 0 ? { replacesScheduled: replaced } : {}),
        },
        createdAt: at,
      },
    });
    return { price, auditId: audit.id, replaced };
  });
}

export type PriceRow = {
  actionKey: string;
  name: string;
  category: ActionCategory;
  active: boolean;
  current: ActionPrice | null;
  scheduled: ActionPrice | null;
  versions: number;
};

/** Every action with the version in force now and the next scheduled one, in category then key order. */
export async function priceTable(at: Date = now()): Promise<PriceRow[]> {
  const all = await db.actionPrice.findMany({ orderBy: [{ actionKey: "asc" }, { version: "desc" }] });
  const byAction = new Map<string, ActionPrice[]>();
  for (const p of all) byAction.set(p.actionKey, [...(byAction.get(p.actionKey) ?? []), p]);
  const rows: PriceRow[] = [];
  for (const [actionKey, versions] of byAction) {
    const latest = versions[0]!;
    const timeline = versionTimeline(versions, at);
    const scheduled = versions
      .filter((v) => timeline.get(v.version)?.state === "scheduled")
      .sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime());
    const current = versionInForce(versions, at);
    rows.push({
      actionKey,
      name: (current ?? latest).name,
      category: latest.category,
      active: (current ?? latest).active,
      current,
      scheduled: scheduled[0] ?? null,
      versions: versions.length,
    });
  }
  const order: ActionCategory[] = ["ARIA", "SONIC", "IMAGE", "VIDEO", "MCP", "OTHER"];
  return rows.sort((a, b) => order.indexOf(a.category) - order.indexOf(b.category) || a.actionKey.localeCompare(b.actionKey));
}

export type PriceHistoryEntry = ActionPrice & { state: VersionState; until: Date | null; createdByEmail: string | null };

/** Every version of one action, newest first, with who made it and when each applies. Null: unknown action. */
export async function priceHistory(
  actionKey: string,
  at: Date = now(),
): Promise<{ current: ActionPrice | null; latest: ActionPrice; versions: PriceHistoryEntry[] } | null> {
  const versions = await db.actionPrice.findMany({ where: { actionKey }, orderBy: { version: "desc" } });
  const latest = versions[0];
  if (!latest) return null;
  const creatorIds = [...new Set(versions.map((v) => v.createdById).filter((id): id is string => id !== null))];
  const creators = new Map(
    (await db.user.findMany({ where: { id: { in: creatorIds } }, select: { id: true, email: true } })).map((u) => [u.id, u.email]),
  );
  const timeline = versionTimeline(versions, at);
  return {
    current: versionInForce(versions, at),
    latest,
    versions: versions.map((v) => ({
      ...v,
      ...(timeline.get(v.version) ?? { state: "never" as const, until: null }),
      createdByEmail: v.createdById ? (creators.get(v.createdById) ?? null) : null,
    })),
  };
}
