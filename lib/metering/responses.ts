import "server-only";
import { db } from "@/lib/db";
import { appUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { formatCents, formatCredits } from "@/lib/format";
import { nextPlan } from "@/lib/pricing/plans";
import type { Balance, ChargeResult, CheckResult, CommitResult } from "@/lib/credits";
import type { UsageStatus } from "@/lib/generated/prisma/client";
import type {
  BudgetBody,
  BalanceBody,
  CheckBody,
  CommitBody,
  RefundBody,
  ReleaseBody,
  ReservationBody,
  TrackCharged,
  TrackHeldReplay,
  TrackQueued,
  UsageEventBody,
  WorkspaceUpsertBody,
} from "@/lib/metering/response-schemas";

/**
 * How ledger outcomes answer over HTTP (docs/design.md "The API's error contract"). Bodies are typed by the response
 * schemas the OpenAPI document is generated from (lib/metering/response-schemas.ts).
 */
export type ApiResult<B = unknown> = { status: number; body: B; headers?: Record<string, string> };

type Lower<S extends string> = Lowercase<S>;
export function statusName<S extends UsageStatus>(status: S): Lower<S> {
  return status.toLowerCase() as Lower<S>;
}

async function upgradePath(workspaceId: string) {
  const workspace = await db.workspace.findUnique({ where: { id: workspaceId }, select: { planId: true } });
  const next = workspace ? await nextPlan(workspace.planId) : null;
  return {
    next,
    links: { buy_pack_url: appUrl("/settings/billing#packs"), upgrade_url: appUrl("/settings/billing#plans") },
    sentence: next
      ? `upgrade to ${next.name} (${next.monthlyCredits === null ? "unlimited credits" : `${formatCredits(next.monthlyCredits)} credits a month`}${next.contactSales ? ", contact sales" : ` for ${formatCents(next.priceMonthlyCents)}`})`
      : "contact us for more credits",
  };
}

/** Another way to pay that a denial offers beside buying a pack and upgrading (x402 for track). */
export type PaymentAlternative = { details: Record<string, unknown>; headers: Record<string, string>; sentence: string };

/** Maps a debit or reservation outcome to its response; denials are thrown as AppErrors. */
export async function chargeResponse(
  result: ChargeResult,
  workspaceId: string,
  kind: "track",
  alternative?: PaymentAlternative,
): Promise<ApiResult<TrackCharged | TrackQueued | TrackHeldReplay>>;
export async function chargeResponse(result: ChargeResult, workspaceId: string, kind: "reservation"): Promise<ApiResult<ReservationBody>>;
export async function chargeResponse(
  result: ChargeResult,
  workspaceId: string,
  kind: "track" | "reservation",
  alternative?: PaymentAlternative,
): Promise<ApiResult<TrackCharged | TrackQueued | TrackHeldReplay | ReservationBody>> {
  if (result.outcome === "denied") {
    const path = await upgradePath(workspaceId);
    const details = {
      required: result.credits,
      remaining: result.remaining,
      reset_at: result.resetAt.toISOString(),
      ...path.links,
      next_plan: path.next ? { id: path.next.id, name: path.next.name, monthly_credits: path.next.monthlyCredits } : null,
      ...alternative?.details,
    };
    const orPay = alternative ? `, ${alternative.sentence}` : "";
    if (result.policy === "RATE_LIMIT") {
      throw new AppError(
        "credits_exhausted",
        `Out of credits until ${result.resetAt.toISOString()}: this call costs ${result.credits}, ${result.remaining} remain.`,
        {
          nextStep: `Retry after the reset (Retry-After), or ${path.sentence} at ${path.links.upgrade_url}${orPay}.`,
          details,
          headers: { "Retry-After": String(result.retryAfterSeconds ?? 1), ...alternative?.headers },
        },
      );
    }
    throw new AppError(
      "insufficient_credits",
      `Not enough credits: this ${kind === "track" ? "action" : "reservation"} needs ${result.credits}, ${result.remaining} remain.`,
      {
        nextStep: `Buy a credit pack at ${path.links.buy_pack_url} or ${path.sentence}${orPay}; retrying will not help until credits are added.`,
        details,
        headers: alternative?.headers,
      },
    );
  }
  const common = {
    status: statusName(result.status),
    remaining: result.remaining,
    reset_at: result.resetAt.toISOString(),
    replayed: result.replayed,
  };
  const amount =
    result.outcome === "held"
      ? { credits_held: result.credits }
      : result.outcome === "queued"
        ? { credits_due: result.credits }
        : { credits_charged: result.credits };
  if (kind === "reservation") {
    const body: ReservationBody = { reservation_id: result.eventId, ...common, ...amount };
    return { status: result.replayed ? 200 : 201, body };
  }
  if (result.outcome === "queued") {
    const body: TrackQueued = { event_id: result.eventId, ...common, credits_due: result.credits };
    if (result.replayed) return { status: 200, body };
    const event = await db.usageEvent.findUniqueOrThrow({ where: { id: result.eventId }, select: { createdAt: true } });
    const ahead = await db.usageEvent.count({ where: { workspaceId, status: "QUEUED", createdAt: { lt: event.createdAt } } });
    return { status: 202, body: { ...body, position: ahead + 1 } };
  }
  if (result.outcome === "held") {
    // Only a replay: the key was first used by a reservation.
    const body: TrackHeldReplay = { event_id: result.eventId, ...common, credits_held: result.credits };
    return { status: 200, body };
  }
  const body: TrackCharged = { event_id: result.eventId, ...common, credits_charged: result.credits };
  return { status: result.replayed ? 200 : 201, body };
}

export function checkResponse(r: CheckResult): ApiResult<CheckBody> {
  return {
    status: 200,
    body: {
      allowed: r.allowed,
      outcome: r.outcome,
      policy: r.policy.toLowerCase() as CheckBody["policy"],
      cost: r.cost,
      remaining: r.remaining,
      remaining_after: r.remainingAfter,
      reset_at: r.resetAt.toISOString(),
      retry_after_seconds: r.retryAfterSeconds,
      budget: r.budget,
    },
  };
}

export function commitResponse(r: CommitResult): ApiResult<CommitBody> {
  return {
    status: 200,
    body: {
      reservation_id: r.eventId,
      status: "completed",
      credits_charged: r.credits,
      actual: r.actual,
      short: r.short,
      remaining: r.remaining,
      reset_at: r.resetAt.toISOString(),
      replayed: r.replayed,
    },
  };
}

type EventRow = {
  id: string;
  actionKey: string;
  category: string;
  quantity: number;
  credits: number;
  status: UsageStatus;
  short: boolean;
  unmetered: boolean;
  subject: string | null;
  idempotencyKey: string | null;
  metadata: unknown;
  holdExpiresAt: Date | null;
  createdAt: Date;
  completedAt: Date | null;
  releasedAt: Date | null;
  refundedAt: Date | null;
  apiClientId: string | null;
  userId: string | null;
  price: { version: number };
};

/** One usage event as the API shows it; `members` names the member behind it (user id → email). */
export function eventJson(e: EventRow, members: ReadonlyMap<string, string> = new Map()): UsageEventBody {
  return {
    id: e.id,
    action: e.actionKey,
    category: e.category.toLowerCase() as UsageEventBody["category"],
    quantity: e.quantity,
    credits: e.credits,
    status: statusName(e.status),
    short: e.short,
    unmetered: e.unmetered,
    price_version: e.price.version,
    subject: e.subject,
    idempotency_key: e.idempotencyKey,
    metadata: (e.metadata ?? null) as UsageEventBody["metadata"],
    created_at: e.createdAt.toISOString(),
    // Queued events: when they were charged (null while still waiting).
    charged_at: e.completedAt?.toISOString() ?? null,
    hold_expires_at: e.status === "PENDING" ? (e.holdExpiresAt?.toISOString() ?? null) : null,
    released_at: e.releasedAt?.toISOString() ?? null,
    refunded_at: e.refundedAt?.toISOString() ?? null,
    // Who caused it: the API key that called, and the member it was done for (member_email), if any.
    api_key_id: e.apiClientId,
    member_email: e.userId ? (members.get(e.userId) ?? null) : null,
  };
}

/** The balance as the API answers it, with the budgets that apply to the calling key. */
export function balanceJson(b: Balance, budgets: BudgetBody[]): BalanceBody {
  return {
    workspace_id: b.workspaceId,
    plan: { id: b.plan.id, name: b.plan.name, monthly_credits: b.plan.monthlyCredits },
    pending_plan: b.pendingPlan ? { id: b.pendingPlan.id, effective_at: b.pendingPlan.at } : null,
    unlimited: b.unlimited,
    remaining: b.remaining,
    remaining_by_type: {
      subscription: b.remainingByType.SUBSCRIPTION,
      bonus: b.remainingByType.BONUS,
      purchased: b.remainingByType.PURCHASED,
    },
    held: b.held,
    queued: b.queued,
    used: b.used,
    allowance: b.allowance,
    allowance_used: b.allowanceUsed,
    period: b.period,
    reset_at: b.period.end,
    breakdown: b.breakdown.map((x) => ({
      category: x.category.toLowerCase() as BalanceBody["breakdown"][number]["category"],
      credits: x.credits,
      events: x.events,
    })),
    grants: b.grants.map((g) => ({
      id: g.id,
      type: g.type.toLowerCase() as BalanceBody["grants"][number]["type"],
      amount: g.amount,
      remaining: g.remaining,
      expires_at: g.expiresAt,
    })),
    budgets,
  };
}

export function releaseResponse(r: { eventId: string; released: number; replayed: boolean }): ApiResult<ReleaseBody> {
  return { status: 200, body: { reservation_id: r.eventId, status: "released", credits_released: r.released, replayed: r.replayed } };
}

export function refundResponse(r: {
  eventId: string;
  credits: number;
  toOriginalGrants: number;
  toBonusGrant: number;
  replayed: boolean;
}): ApiResult<RefundBody> {
  return {
    status: 200,
    body: {
      event_id: r.eventId,
      status: "refunded",
      credits_refunded: r.credits,
      to_original_grants: r.toOriginalGrants,
      to_bonus_grant: r.toBonusGrant,
      replayed: r.replayed,
    },
  };
}

export function workspaceUpsertResponse(
  externalId: string,
  r: { workspaceId: string; created: boolean; ownerInvitation?: { email: string; expiresAt: Date } | null },
): ApiResult<WorkspaceUpsertBody> {
  const invitation = r.ownerInvitation
    ? { owner_invitation: { email: r.ownerInvitation.email, expires_at: r.ownerInvitation.expiresAt.toISOString() } }
    : {};
  return {
    status: r.created ? 201 : 200,
    body: { workspace_id: r.workspaceId, external_id: externalId, created: r.created, ...invitation },
  };
}
