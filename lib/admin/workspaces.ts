import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { parsePage, readPage } from "@/lib/admin/paging";
import { now } from "@/lib/clock";
import { AppError, fieldErrors } from "@/lib/errors";
import { adjust } from "@/lib/credits";
import type { Prisma, Role, SubscriptionStatus } from "@/lib/generated/prisma/client";
import { WORKSPACE_BILLING_VIEW } from "@/lib/workspaces/billing-view";

/** Workspaces for operators: search, one workspace's state, and credit grants and adjustments. */

export const LEDGER_PAGE_SIZE = 30;

export type WorkspaceListRow = {
  id: string;
  name: string;
  externalId: string | null;
  planName: string;
  subscriptionStatus: SubscriptionStatus;
  owners: string[];
  members: number;
  remaining: number;
  createdAt: Date;
};

export { parsePage };

/** Matches a name or external id (substring, any case), an exact workspace id, or a member's email (substring). */
function searchWhere(q: string): Prisma.WorkspaceWhereInput {
  const term = q.trim();
  if (!term) return {};
  return {
    OR: [
      { id: term },
      { name: { contains: term, mode: "insensitive" } },
      { externalId: { contains: term, mode: "insensitive" } },
      { memberships: { some: { user: { email: { contains: term.toLowerCase() } } } } },
    ],
  };
}

/** Spendable credits of each workspace now (unexpired grants' remaining). */
async function remainingOf(ids: string[], at: Date): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db.creditGrant.groupBy({
    by: ["workspaceId"],
    where: { workspaceId: { in: ids }, remaining: { gt: 0 }, OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] },
    _sum: { remaining: true },
  });
  return new Map(rows.map((r) => [r.workspaceId, r._sum.remaining ?? 0]));
}

export async function searchWorkspaces(input: {
  q?: string;
  page?: number;
}): Promise<{ rows: WorkspaceListRow[]; total: number; page: number; pages: number }> {
  const where = searchWhere(input.q ?? "");
  const { rows: workspaces, ...at } = await readPage(input.page, await db.workspace.count({ where }), (window) =>
    db.workspace.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      ...window,
      select: {
        id: true,
        name: true,
        externalId: true,
        subscriptionStatus: true,
        createdAt: true,
        plan: { select: { name: true } },
        memberships: { where: { role: "OWNER" }, orderBy: { createdAt: "asc" }, take: 3, select: { user: { select: { email: true } } } },
        _count: { select: { memberships: true } },
      },
    }),
  );
  const remaining = await remainingOf(
    workspaces.map((w) => w.id),
    now(),
  );
  return {
    ...at,
    rows: workspaces.map((w) => ({
      id: w.id,
      name: w.name,
      externalId: w.externalId,
      planName: w.plan.name,
      subscriptionStatus: w.subscriptionStatus,
      owners: w.memberships.map((m) => m.user.email),
      members: w._count.memberships,
      remaining: remaining.get(w.id) ?? 0,
      createdAt: w.createdAt,
    })),
  };
}

export type WorkspaceSummary = {
  id: string;
  name: string;
  externalId: string | null;
  plan: { id: string; name: string; monthlyCredits: number | null };
  billingInterval: "MONTH" | "YEAR";
  subscriptionStatus: SubscriptionStatus;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
  pendingPlan: { name: string; at: Date } | null;
  pastDueSince: Date | null;
  createdAt: Date;
  members: { email: string; role: Role }[];
  apiKeys: number;
};

export async function workspaceSummary(id: string): Promise<WorkspaceSummary | null> {
  const w = await db.workspace.findUnique({
    where: { id },
    select: {
      ...WORKSPACE_BILLING_VIEW,
      plan: { select: { id: true, name: true, monthlyCredits: true } },
      memberships: {
        orderBy: [{ role: "asc" }, { createdAt: "asc" }],
        take: 50,
        select: { role: true, user: { select: { email: true } } },
      },
      _count: { select: { apiClients: { where: { revokedAt: null } } } },
    },
  });
  if (!w) return null;
  const pending = w.pendingPlanId ? await db.plan.findUnique({ where: { id: w.pendingPlanId }, select: { name: true } }) : null;
  return {
    id: w.id,
    name: w.name,
    externalId: w.externalId,
    plan: w.plan,
    billingInterval: w.billingInterval,
    subscriptionStatus: w.subscriptionStatus,
    stripeCustomerId: w.stripeCustomerId,
    stripeSubscriptionId: w.stripeSubscriptionId,
    pendingPlan: pending && w.pendingPlanAt ? { name: pending.name, at: w.pendingPlanAt } : null,
    pastDueSince: w.pastDueSince,
    createdAt: w.createdAt,
    members: w.memberships.map((m) => ({ email: m.user.email, role: m.role })),
    apiKeys: w._count.apiClients,
  };
}

// ───────────────────────────── grants and adjustments ─────────────────────────────

const adjustmentSchema = z
  .object({
    credits: z
      .union([z.number(), z.string().trim().min(1, "Enter a number of credits, e.g. 500 or -200.")], {
        error: "Enter a number of credits, e.g. 500 or -200.",
      })
      .pipe(
        z.coerce
          .number<string | number>({ error: "Enter a whole number of credits, e.g. 500 or -200." })
          .int("Use a whole number of credits.")
          .refine((n) => n !== 0, "Enter a number other than 0.")
          .refine((n) => Math.abs(n) <= 10_000_000, "At most 10,000,000 credits at a time."),
      ),
    reason: z
      .string({ error: "Say why (the customer never sees it; the audit log keeps it)." })
      .trim()
      .min(1, "Say why (the customer never sees it; the audit log keeps it).")
      .max(500, "Keep the reason under 500 characters."),
    /** Grants only: when the granted credits expire (ISO 8601 with an offset). Empty: never. */
    expiresAt: z.preprocess(
      (v) =>
        v === "" || v === undefined
          ? null
          : typeof v === "string" && z.iso.datetime({ offset: true }).safeParse(v).success
            ? new Date(v)
            : v,
      z.date({ error: "Choose a valid date and time." }).nullable(),
    ),
  })
  .superRefine((v, ctx) => {
    if (v.expiresAt && v.credits < 0)
      ctx.addIssue({
        code: "custom",
        path: ["expiresAt"],
        message: "An expiry applies to grants only: leave it empty when removing credits.",
      });
  });

export type AdjustmentInput = { [K in keyof z.input<typeof adjustmentSchema>]?: unknown };

/**
 * An operator's grant (positive: a BONUS grant, optionally expiring) or removal (negative: taken in spend
 * order) through the ledger's adjust(), which writes the ledger entries and the credits.adjust audit entry
 * naming the operator, in one transaction.
 */
export async function adjustWorkspaceCredits(operator: { id: string }, workspaceId: string, raw: AdjustmentInput) {
  const parsed = adjustmentSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = fieldErrors(parsed.error.issues);
    throw new AppError("validation_failed", Object.values(fields)[0] ?? "Check the form.", { details: { fields } });
  }
  const { credits, reason, expiresAt } = parsed.data;
  if (expiresAt && expiresAt.getTime() <= now().getTime()) {
    throw new AppError("validation_failed", "Choose an expiry in the future.", {
      details: { fields: { expiresAt: "Choose an expiry in the future." } },
    });
  }
  return adjust({ workspaceId, credits, reason, actorUserId: operator.id, expiresAt });
}
