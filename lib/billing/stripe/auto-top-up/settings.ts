import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import type { AutoTopUpStatus } from "@/lib/generated/prisma/client";
import { monthStart, topUpSource } from "@/lib/billing/stripe/auto-top-up/common";

/** The workspace's auto top-up settings: reading, validating and saving them, and the owners' notice. */

export const DEFAULT_COOLDOWN_MINUTES = 10;

export const autoTopUpSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  threshold_credits: z
    .number()
    .int("Whole credits only.")
    .min(1, "At least 1 credit.")
    .max(1_000_000_000, "At most 1,000,000,000 credits."),
  pack_id: z.string().min(1, "Pick a pack.").max(64),
  monthly_cap: z.number().int("A whole number.").min(1, "At least 1 purchase a month.").max(100, "At most 100 purchases a month."),
  cooldown_minutes: z.number().int("Whole minutes only.").min(0, "Not negative.").max(10_080, "At most a week (10,080 minutes)."),
});
export type AutoTopUpSettingsInput = z.infer<typeof autoTopUpSettingsSchema>;

export type AutoTopUpAttemptView = {
  id: string;
  status: AutoTopUpStatus;
  createdAt: string;
  settledAt: string | null;
  packId: string | null;
  credits: number | null;
  amountCents: number | null;
  balanceBefore: number;
  balanceAfter: number;
  thresholdCredits: number;
  reason: string | null;
  /** SUCCEEDED only: has the webhook granted the credits yet? */
  granted: boolean;
};

export type AutoTopUpView = {
  enabled: boolean;
  thresholdCredits: number;
  packId: string;
  monthlyCap: number;
  cooldownMinutes: number;
  card: { brand: string; last4: string } | null;
  disabledAt: string | null;
  disabledReason: string | null;
  /** The owners' notice about the switch-off is still up. */
  noticeOpen: boolean;
  purchasesThisMonth: number;
  attempts: AutoTopUpAttemptView[];
};

/** The auto top-up card of the billing page: settings, saved card, and the latest attempts. */
export async function getAutoTopUp(workspaceId: string, limit = 20): Promise<AutoTopUpView> {
  const at = now();
  const [settings, attempts, purchasesThisMonth] = await Promise.all([
    db.autoTopUp.findUnique({ where: { workspaceId } }),
    db.autoTopUpAttempt.findMany({ where: { workspaceId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit }),
    db.autoTopUpAttempt.count({ where: { workspaceId, status: "SUCCEEDED", claimedAt: { gte: monthStart(at) } } }),
  ]);
  const paid = attempts.filter((a) => a.paymentIntentId && a.status === "SUCCEEDED").map((a) => topUpSource(a.paymentIntentId!));
  const granted = new Set(
    paid.length
      ? (await db.creditGrant.findMany({ where: { workspaceId, source: { in: paid } }, select: { source: true } })).map((g) => g.source)
      : [],
  );
  return {
    enabled: settings?.enabled ?? false,
    thresholdCredits: settings?.thresholdCredits ?? 100,
    packId: settings?.packId ?? "starter_1000",
    monthlyCap: settings?.monthlyCap ?? 3,
    cooldownMinutes: settings?.cooldownMinutes ?? DEFAULT_COOLDOWN_MINUTES,
    card: settings?.paymentMethodId ? { brand: settings.cardBrand ?? "card", last4: settings.cardLast4 ?? "••••" } : null,
    disabledAt: settings?.disabledAt?.toISOString() ?? null,
    disabledReason: settings?.disabledReason ?? null,
    noticeOpen: Boolean(settings?.disabledAt && !settings.noticeDismissedAt && !settings.enabled),
    purchasesThisMonth,
    attempts: attempts.map((a) => ({
      id: a.id,
      status: a.status,
      createdAt: a.createdAt.toISOString(),
      settledAt: a.settledAt?.toISOString() ?? null,
      packId: a.packId,
      credits: a.credits,
      amountCents: a.amountCents,
      balanceBefore: a.balanceBefore,
      balanceAfter: a.balanceAfter,
      thresholdCredits: a.thresholdCredits,
      reason: a.reason,
      granted: a.paymentIntentId ? granted.has(topUpSource(a.paymentIntentId)) : false,
    })),
  };
}

/**
 * Saves the settings (owners only; the caller checks the role). Turning it on needs a saved card and a
 * pack on sale. The hot-path switch (Workspace.autoTopUpThreshold) is written in the same transaction.
 */
export async function updateAutoTopUp(workspaceId: string, userId: string, raw: unknown): Promise<AutoTopUpView> {
  const parsed = autoTopUpSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[issue.path.map(String).join(".") || "_"] ??= issue.message;
    throw new AppError("invalid_request", "Check the auto top-up settings.", { details: { fields } });
  }
  const input = parsed.data;
  const pack = await db.creditPack.findUnique({ where: { id: input.pack_id } });
  if (!pack || !pack.active) {
    throw new AppError("invalid_pack", `There is no credit pack "${input.pack_id}" on sale.`, {
      details: { fields: { pack_id: "Pick one of the packs on sale." } },
    });
  }
  await db.$transaction(async (tx) => {
    const current = await tx.autoTopUp.findUnique({ where: { workspaceId }, select: { paymentMethodId: true } });
    if (input.enabled && !current?.paymentMethodId) {
      throw new AppError("conflict", "Save a card before turning auto top-up on.", {
        nextStep: "Use “Save a card” first; auto top-up charges that card.",
        details: { fields: { enabled: "Save a card first." } },
      });
    }
    const data = {
      enabled: input.enabled,
      thresholdCredits: input.threshold_credits,
      packId: input.pack_id,
      monthlyCap: input.monthly_cap,
      cooldownMinutes: input.cooldown_minutes,
      updatedById: userId,
      // Turning it back on clears the decline banner and the owners' notice.
      ...(input.enabled ? { disabledAt: null, disabledReason: null, noticeDismissedAt: null } : {}),
    };
    await tx.autoTopUp.upsert({ where: { workspaceId }, create: { workspaceId, ...data }, update: data });
    await tx.workspace.update({ where: { id: workspaceId }, data: { autoTopUpThreshold: input.enabled ? input.threshold_credits : null } });
  });
  return getAutoTopUp(workspaceId);
}

/** Hides the owners' notice about a switch-off (the billing page's banner stays while it is off). */
export async function dismissAutoTopUpNotice(workspaceId: string): Promise<void> {
  await db.autoTopUp.updateMany({ where: { workspaceId, noticeDismissedAt: null }, data: { noticeDismissedAt: now() } });
}

/** The owners' notice after a switch-off, for the app shell: null when there is nothing to say. */
export async function autoTopUpNotice(workspaceId: string): Promise<{ reason: string; at: string } | null> {
  const row = await db.autoTopUp.findFirst({
    where: { workspaceId, enabled: false, disabledAt: { not: null }, noticeDismissedAt: null },
    select: { disabledAt: true, disabledReason: true },
  });
  return row?.disabledAt ? { reason: row.disabledReason ?? "The last charge failed.", at: row.disabledAt.toISOString() } : null;
}
