import "server-only";
import { db } from "@/lib/db";
import type { EntitlementCheckBody, EntitlementsBody } from "@/lib/metering/response-schemas";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { nextPlanAllowing, planEntitlements, SEATS_KEY, upgradeUrl, within } from "@/lib/teams/limits";
import { seatUsage } from "@/lib/teams/seats";
import type { EntitlementCheckInput } from "@/lib/teams/schemas";

/**
 * What the AI product asks before it lets a customer add something the plan limits ("may this
 * workspace add a 6th artist?"). Like POST /api/v1/check, the answer to a well-formed question is a
 * 200 with `allowed` true or false, never a denial status: the product decides what to show. An
 * unknown key is a 422 `validation_failed` (as an unknown action is), listing the keys there are.
 */

type LimitView = { limit: number | null; unlimited: boolean };

async function planOf(workspaceId: string) {
  const workspace = await db.workspace.findUnique({
    where: { id: workspaceId },
    select: { plan: { select: { id: true, name: true, seats: true, entitlements: true } } },
  });
  if (!workspace) throw new AppError("not_found", "No such workspace.");
  return workspace.plan;
}

/** The workspace's plan, its seats (with how many are used) and every named entitlement. */
export async function workspaceEntitlements(workspaceId: string, at = now()): Promise<EntitlementsBody> {
  const plan = await planOf(workspaceId);
  const seats = await seatUsage(db, workspaceId, at);
  const named = planEntitlements(plan.entitlements);
  const view = (limit: number | null): LimitView => ({ limit, unlimited: limit === null });
  return {
    workspace_id: workspaceId,
    plan: { id: plan.id, name: plan.name },
    seats: {
      ...view(seats.limit),
      used: seats.used,
      members: seats.members,
      pending_invitations: seats.pending,
      available: seats.available,
    },
    entitlements: Object.fromEntries(
      Object.keys(named)
        .sort()
        .map((key) => [key, view(named[key]!)]),
    ) as Record<string, LimitView>,
  };
}

/** Would the workspace's plan allow `requested` (or `current + add`) of `key`? */
export async function checkEntitlement(workspaceId: string, input: EntitlementCheckInput, at = now()): Promise<EntitlementCheckBody> {
  const plan = await planOf(workspaceId);
  const named = planEntitlements(plan.entitlements);
  let limit: number | null;
  let current = input.current;
  if (input.key === SEATS_KEY) {
    limit = plan.seats;
    current ??= input.requested === undefined ? (await seatUsage(db, workspaceId, at)).used : undefined;
  } else if (input.key in named) {
    limit = named[input.key]!;
  } else {
    const known = [SEATS_KEY, ...Object.keys(named).sort()];
    throw new AppError("validation_failed", `Unknown entitlement "${input.key}".`, {
      nextStep: `GET /api/v1/entitlements lists this workspace's entitlements: ${known.join(", ")}.`,
      details: { field: "key", known_keys: known },
    });
  }
  const requested = input.requested ?? (current ?? 0) + (input.add ?? 1);
  const allowed = within(limit, requested);
  const next = allowed ? null : await nextPlanAllowing(plan.id, input.key, requested);
  return {
    key: input.key,
    allowed,
    requested,
    limit,
    unlimited: limit === null,
    remaining_after: limit === null ? null : limit - requested,
    plan: { id: plan.id, name: plan.name },
    ...(allowed
      ? {}
      : {
          message: `The ${plan.name} plan allows ${limit} ${input.key}; ${requested} would be over the limit.`,
          next_plan: next
            ? { id: next.id, name: next.name, limit: next.limit, unlimited: next.limit === null, contact_sales: next.contactSales }
            : null,
          upgrade_url: upgradeUrl(),
        }),
  };
}
