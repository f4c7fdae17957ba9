import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { ERROR_STATUS, type ErrorCode } from "@/lib/errors";
import type { BudgetBody as LedgerBudget } from "@/lib/credits";
import type { EmbedOriginsBody, PortalSessionBody, PortalSessionRevokedBody } from "@/lib/portal-sessions/schemas";

/**
 * Response bodies of the metering API. The functions that build the responses (responses.ts, usage.ts,
 * lib/teams/entitlements.ts, lib/pricing/catalog.ts, lib/x402/*) return the types inferred here, and the
 * OpenAPI document (lib/api/openapi.ts) is generated from these schemas, so the two cannot drift. Every
 * object is strict: the integration suite validates each response against the document and fails on a
 * field the document does not name.
 */

extendZodWithOpenApi(z);

const iso = z.string().openapi({ format: "date-time", example: "2026-12-01T00:00:00.000Z" });
const isoNullable = iso.nullable();
const int = z.number().int();
const credits = int.min(0);
const usd = z.string().openapi({ description: "US dollars as a decimal string (exact, no float rounding).", example: "0.01" });
const usageStatus = z.enum(["completed", "queued", "pending", "released", "refunded", "rejected"]);
const category = z.enum(["aria", "sonic", "image", "video", "mcp", "other"]);
const policy = z.enum(["reject", "rate_limit", "queue"]);

/** A credit budget and where it stands now (GET/PUT /api/v1/budgets, GET /api/v1/balance, 402 budget_exceeded). */
export const budgetSchema = z
  .strictObject({
    id: z.string(),
    scope: z.enum(["workspace", "api_key", "member"]),
    api_key_id: z.string().nullable().openapi({ description: "The key it limits (scope api_key)." }),
    member_id: z.string().nullable().openapi({ description: "The member (user id) it limits (scope member)." }),
    period: z
      .enum(["day", "week", "month", "none"])
      .openapi({ description: "Calendar periods in UTC (weeks start on Monday); none: a lifetime amount." }),
    mode: z
      .enum(["hard", "soft"])
      .openapi({ description: "hard: a call that would pass it is refused (402 budget_exceeded); soft: alerts only." }),
    limit: credits.nullable().openapi({
      description: "The budget in credits now (a percentage budget: of the plan's monthly allowance; null on an unmetered plan).",
    }),
    limit_percent: int.nullable().openapi({ description: "Workspace budgets set as a percentage of the plan's allowance." }),
    spent: credits.openapi({
      description: "Credits counted in this period: charged, plus held by pending reservations; refunds and releases give them back.",
    }),
    remaining: credits.nullable(),
    period_start: isoNullable,
    resets_at: isoNullable.openapi({ description: "When the period ends and the budget is whole again (null: never)." }),
  })
  .openapi("Budget");
export type BudgetBody = z.infer<typeof budgetSchema>;
// The ledger builds budgets in these words (lib/credits/budgets.ts): the two types must be one.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const budgetTypesAgree: Same<BudgetBody, LedgerBudget> = true;
void budgetTypesAgree;

/** POST /api/v1/track 201/200/202 and POST /api/v1/reservations 201/200. */
const chargeBase = {
  status: usageStatus.openapi({ description: "completed (charged), queued (waiting for credits) or pending (held)" }),
  remaining: credits.openapi({ description: "Spendable credits left after this call (held credits excluded)." }),
  reset_at: iso.openapi({ description: "When the current period ends and the plan's allowance is granted again." }),
  replayed: z
    .boolean()
    .openapi({ description: "true when this is the stored answer of an earlier call with the same idempotency_key (status 200)." }),
};
export const trackChargedResponse = z
  .strictObject({ event_id: z.string(), ...chargeBase, credits_charged: credits })
  .openapi("TrackCharged", {
    example: {
      event_id: "cmevt0000000000000000001",
      status: "completed",
      credits_charged: 3,
      remaining: 997,
      reset_at: "2026-12-01T00:00:00.000Z",
      replayed: false,
    },
  });
export const trackQueuedResponse = z
  .strictObject({
    event_id: z.string(),
    ...chargeBase,
    credits_due: credits,
    position: int.min(1).optional().openapi({ description: "Place in the workspace's queue (absent on a replay)." }),
  })
  .openapi("TrackQueued", {
    example: {
      event_id: "cmevt0000000000000000002",
      status: "queued",
      credits_due: 3,
      remaining: 0,
      reset_at: "2026-12-01T00:00:00.000Z",
      replayed: false,
      position: 1,
    },
  });
/** A track whose idempotency_key names an earlier reservation: the reservation's answer (200, replayed). */
export const trackHeldReplayResponse = z
  .strictObject({ event_id: z.string(), ...chargeBase, credits_held: credits })
  .openapi("TrackHeldReplay", {
    description: "The idempotency_key was first used by a reservation (pending or released): its answer, replayed.",
  });
export const trackPaidResponse = z
  .strictObject({
    event_id: z.string(),
    status: z.literal("completed"),
    credits_charged: z.literal(0),
    paid_by: z.literal("x402"),
    payment: z.strictObject({
      transaction: z.string(),
      network: z.string(),
      payer: z.string(),
      amount: z.string().openapi({ description: "USDC in atomic units (credits × 10,000)." }),
      credits,
    }),
    remaining: credits,
    reset_at: iso,
    replayed: z.literal(false),
  })
  .openapi("TrackPaid", { description: "Out of credits, paid for this one call with x402 (PAYMENT-SIGNATURE)." });
/** A held reservation (201, or 200 on a replay; a replay of a reservation committed since says completed). */
export const reservationResponse = z
  .strictObject({
    reservation_id: z.string(),
    ...chargeBase,
    credits_held: credits.optional(),
    credits_charged: credits.optional(),
    credits_due: credits.optional(),
  })
  .openapi("Reservation", {
    example: {
      reservation_id: "cmevt0000000000000000003",
      status: "pending",
      credits_held: 20,
      remaining: 980,
      reset_at: "2026-12-01T00:00:00.000Z",
      replayed: false,
    },
  });
export type TrackCharged = z.infer<typeof trackChargedResponse>;
export type TrackQueued = z.infer<typeof trackQueuedResponse>;
export type TrackPaid = z.infer<typeof trackPaidResponse>;
export type TrackHeldReplay = z.infer<typeof trackHeldReplayResponse>;
export type ReservationBody = z.infer<typeof reservationResponse>;

export const checkResponseSchema = z
  .strictObject({
    allowed: z.boolean(),
    outcome: z.enum(["charge", "queue", "deny"]),
    policy,
    cost: credits,
    remaining: credits,
    remaining_after: int,
    reset_at: iso,
    retry_after_seconds: int.nullable().openapi({ description: "When denied under the rate_limit policy: seconds until the reset." }),
    // The hard budget (the workspace's or this key's) the call would pass: then allowed is false and
    // outcome deny, whatever the balance. A union, not .nullable(): the generator would make a nullable
    // reference an allOf that null cannot match.
    budget: z.union([budgetSchema, z.null()]),
  })
  .openapi("CheckResult", {
    example: {
      allowed: true,
      outcome: "charge",
      policy: "reject",
      cost: 3,
      remaining: 1000,
      remaining_after: 997,
      reset_at: "2026-12-01T00:00:00.000Z",
      retry_after_seconds: null,
      budget: null,
    },
  });
export type CheckBody = z.infer<typeof checkResponseSchema>;

export const commitResponseSchema = z
  .strictObject({
    reservation_id: z.string(),
    status: z.literal("completed"),
    credits_charged: credits,
    actual: credits,
    short: z.boolean().openapi({ description: "true when the actual exceeded what could be charged (charged what was there)." }),
    remaining: credits,
    reset_at: iso,
    replayed: z.boolean(),
  })
  .openapi("CommitResult", {
    example: {
      reservation_id: "cmevt0000000000000000003",
      status: "completed",
      credits_charged: 12,
      actual: 12,
      short: false,
      remaining: 988,
      reset_at: "2026-12-01T00:00:00.000Z",
      replayed: false,
    },
  });
export type CommitBody = z.infer<typeof commitResponseSchema>;

export const releaseResponseSchema = z
  .strictObject({ reservation_id: z.string(), status: z.literal("released"), credits_released: credits, replayed: z.boolean() })
  .openapi("ReleaseResult", {
    example: { reservation_id: "cmevt0000000000000000003", status: "released", credits_released: 20, replayed: false },
  });
export type ReleaseBody = z.infer<typeof releaseResponseSchema>;

export const refundResponseSchema = z
  .strictObject({
    event_id: z.string(),
    status: z.literal("refunded"),
    credits_refunded: credits,
    to_original_grants: credits,
    to_bonus_grant: credits,
    replayed: z.boolean(),
  })
  .openapi("RefundResult", {
    example: {
      event_id: "cmevt0000000000000000001",
      status: "refunded",
      credits_refunded: 3,
      to_original_grants: 3,
      to_bonus_grant: 0,
      replayed: false,
    },
  });
export type RefundBody = z.infer<typeof refundResponseSchema>;

export const usageEventSchema = z
  .strictObject({
    id: z.string(),
    action: z.string(),
    category,
    quantity: int,
    credits,
    status: usageStatus,
    short: z.boolean(),
    unmetered: z.boolean().openapi({ description: "Drew on no grant (paid with x402, or an unlimited plan)." }),
    price_version: int,
    subject: z.string().nullable(),
    idempotency_key: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()).nullable().openapi({ description: "The metadata sent with the call, as sent." }),
    created_at: iso,
    charged_at: isoNullable.openapi({ description: "When it was charged (queued events: null while waiting)." }),
    hold_expires_at: isoNullable,
    released_at: isoNullable,
    refunded_at: isoNullable,
    api_key_id: z.string().nullable(),
    member_email: z.string().nullable(),
  })
  .openapi("UsageEvent");
export type UsageEventBody = z.infer<typeof usageEventSchema>;

export const usagePageSchema = z
  .strictObject({
    data: z.array(usageEventSchema),
    next_cursor: z.string().nullable().openapi({ description: "Pass as cursor for the next (older) page; null on the last page." }),
  })
  .openapi("UsagePage");
export type UsagePageBody = z.infer<typeof usagePageSchema>;

export const budgetListSchema = z.strictObject({ budgets: z.array(budgetSchema) }).openapi("BudgetList");
export type BudgetListBody = z.infer<typeof budgetListSchema>;
export const budgetDeletedSchema = z.strictObject({ id: z.string(), deleted: z.literal(true) }).openapi("BudgetDeleted");
export type BudgetDeletedBody = z.infer<typeof budgetDeletedSchema>;

export const balanceResponseSchema = z
  .strictObject({
    workspace_id: z.string(),
    plan: z.strictObject({ id: z.string(), name: z.string(), monthly_credits: int.nullable() }),
    pending_plan: z.strictObject({ id: z.string(), effective_at: iso }).nullable(),
    unlimited: z.boolean(),
    remaining: credits,
    remaining_by_type: z.strictObject({ subscription: credits, bonus: credits, purchased: credits }),
    held: credits,
    queued: z.strictObject({ events: int, credits }),
    used: credits,
    allowance: int.nullable(),
    allowance_used: credits,
    period: z.strictObject({ start: iso, end: iso }),
    reset_at: iso,
    breakdown: z.array(z.strictObject({ category, credits: int, events: int })),
    grants: z.array(
      z.strictObject({
        id: z.string(),
        type: z.enum(["subscription", "bonus", "purchased"]),
        amount: int,
        remaining: credits,
        expires_at: isoNullable,
      }),
    ),
    budgets: z
      .array(budgetSchema)
      .openapi({ description: "The budgets that apply to calls with this key: the workspace's and the key's own." }),
  })
  .openapi("Balance");
export type BalanceBody = z.infer<typeof balanceResponseSchema>;

export const workspaceUpsertResponseSchema = z
  .strictObject({
    workspace_id: z.string(),
    external_id: z.string(),
    created: z.boolean(),
    owner_invitation: z
      .strictObject({ email: z.string(), expires_at: iso })
      .optional()
      .openapi({ description: "When owner_email was sent and an invitation was made." }),
  })
  .openapi("Workspace", { example: { workspace_id: "cmws00000000000000000001", external_id: "customer-42", created: true } });
export type WorkspaceUpsertBody = z.infer<typeof workspaceUpsertResponseSchema>;

const limitView = { limit: int.nullable().openapi({ description: "null = unlimited" }), unlimited: z.boolean() };
export const entitlementsResponseSchema = z
  .strictObject({
    workspace_id: z.string(),
    plan: z.strictObject({ id: z.string(), name: z.string() }),
    seats: z.strictObject({ ...limitView, used: int, members: int, pending_invitations: int, available: int.nullable() }),
    entitlements: z.record(z.string(), z.strictObject(limitView)),
  })
  .openapi("Entitlements");
export type EntitlementsBody = z.infer<typeof entitlementsResponseSchema>;

export const entitlementCheckResponseSchema = z
  .strictObject({
    key: z.string(),
    allowed: z.boolean(),
    requested: int,
    ...limitView,
    remaining_after: int.nullable(),
    plan: z.strictObject({ id: z.string(), name: z.string() }),
    message: z.string().optional().openapi({ description: "When not allowed." }),
    next_plan: z
      .strictObject({ id: z.string(), name: z.string(), limit: int.nullable(), unlimited: z.boolean(), contact_sales: z.boolean() })
      .nullable()
      .optional(),
    upgrade_url: z.string().optional(),
  })
  .openapi("EntitlementCheck");
export type EntitlementCheckBody = z.infer<typeof entitlementCheckResponseSchema>;

export const pricingResponseSchema = z
  .strictObject({
    unit: z.strictObject({ credit_usd: usd }),
    actions: z.array(
      z.strictObject({
        action: z.string(),
        name: z.string(),
        category,
        credits: int,
        usd,
        reserve_credits: int.nullable(),
        sync: z.boolean(),
        provider: z.string().nullable(),
        out_of_credits: policy,
        version: int,
        effective_from: iso,
      }),
    ),
    plans: z.array(
      z.strictObject({
        id: z.string(),
        name: z.string(),
        monthly_credits: int.nullable(),
        price_monthly_cents: int.nullable(),
        price_yearly_cents: int.nullable(),
        trial_days: int,
        contact_sales: z.boolean(),
      }),
    ),
    packs: z.array(z.strictObject({ id: z.string(), name: z.string(), credits: int, price_cents: int, validity_days: int.nullable() })),
  })
  .openapi("Pricing");
export type PricingBody = z.infer<typeof pricingResponseSchema>;

export const x402StatusResponseSchema = z
  .strictObject({
    enabled: z.boolean(),
    endpoint: z.string(),
    network: z.string(),
    token: z.literal("USDC"),
    pricing_model: z.literal("ceiling-quote"),
    enabled_tools: z.array(z.strictObject({ tool: z.string(), provider: z.string(), price_usdc: usd, sync: z.boolean() })),
  })
  .openapi("X402Status");
export type X402StatusBody = z.infer<typeof x402StatusResponseSchema>;

const x402Payment = { transaction: z.string(), network: z.string(), payer: z.string(), amount: z.string(), asset: z.string() };
export const x402CreditsResponseSchema = z
  .strictObject({
    workspace_id: z.string(),
    external_id: z.string().nullable(),
    workspace_created: z.boolean(),
    api_key: z.string().optional().openapi({ description: "The wallet workspace's API key, shown once (when the workspace is created)." }),
    pack_id: z.string(),
    credits_granted: int,
    remaining: credits,
    payment: z.strictObject(x402Payment),
  })
  .openapi("X402Credits");
export type X402CreditsBody = z.infer<typeof x402CreditsResponseSchema>;
export const x402SettledNotRecordedSchema = z
  .strictObject({
    status: z.literal("settled_not_recorded"),
    message: z.string(),
    external_id: z.string(),
    pack_id: z.string(),
    credits: int,
    payment: z.strictObject({ id: z.string(), ...x402Payment }),
  })
  .openapi("X402SettledNotRecorded");
export type X402SettledNotRecordedBody = z.infer<typeof x402SettledNotRecordedSchema>;

/**
 * The error shape, with the code enum of one HTTP status. Besides code, message, retryable and
 * actionable_next_step, errors carry details named here (all optional); nothing else.
 */
export function errorSchemaFor(status: number, only?: ErrorCode[]) {
  const codes = only ?? (Object.keys(ERROR_STATUS) as ErrorCode[]).filter((c) => ERROR_STATUS[c] === status);
  return z.strictObject({
    error: z.strictObject({
      code: z.enum(codes as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      retryable: z
        .boolean()
        .openapi({ description: "Whether the same request may succeed later unchanged (retry with backoff, honouring Retry-After)." }),
      actionable_next_step: z.string().optional(),
      ...errorDetails,
    }),
  });
}

const errorDetails = {
  field: z.string().optional().openapi({ description: "The request field at fault." }),
  fields: z.record(z.string(), z.string()).optional().openapi({ description: "Field → problem, for invalid_request." }),
  required: credits.optional().openapi({ description: "Credits the call needs (insufficient_credits, credits_exhausted)." }),
  remaining: credits.optional(),
  reset_at: iso.optional(),
  buy_pack_url: z.string().optional(),
  upgrade_url: z.string().optional(),
  next_plan: z.strictObject({ id: z.string(), name: z.string(), monthly_credits: int.nullable() }).nullable().optional(),
  budget: budgetSchema.optional().openapi({ description: "The budget the call would pass (budget_exceeded)." }),
  x402: z.record(z.string(), z.unknown()).optional().openapi({
    description:
      "How to pay with x402 instead: on track, price_usdc, amount, network, asset, pay_to, header and payment_required (the x402 v2 requirements, also in PAYMENT-REQUIRED); on x402 routes, the requirements.",
  }),
  limit: int.optional().openapi({ description: "The hourly limit that was reached (rate_limited)." }),
  known_keys: z.array(z.string()).optional(),
  event_id: z.string().optional(),
  reservation_id: z.string().optional(),
  action: z.string().optional(),
  pack_id: z.string().optional(),
  credits: int.optional(),
  reason: z.string().optional(),
  payment_id: z.string().optional(),
  transaction: z.string().optional(),
  network: z.string().optional(),
  request_id: z.string().optional(),
};

/** Every 2xx body of an /api/v1 route (lib/api/v1.ts accepts nothing else from a handler). */
export type ApiBody =
  | TrackCharged
  | TrackQueued
  | TrackPaid
  | TrackHeldReplay
  | ReservationBody
  | CheckBody
  | CommitBody
  | ReleaseBody
  | RefundBody
  | UsageEventBody
  | UsagePageBody
  | BalanceBody
  | WorkspaceUpsertBody
  | EntitlementsBody
  | EntitlementCheckBody
  | BudgetBody
  | BudgetListBody
  | BudgetDeletedBody
  | PortalSessionBody
  | PortalSessionRevokedBody
  | EmbedOriginsBody;
