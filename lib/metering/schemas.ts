import { z } from "zod";
import { ACTION_KEY_PATTERN, MAX_ACTION_KEY_LENGTH, MAX_CREDITS, MAX_IDEMPOTENCY_KEY_LENGTH, MAX_QUANTITY } from "@/lib/pricing/limits";

/** Request bodies of the metering API. The OpenAPI document is generated from these. */
const actionKey = z
  .string()
  .min(1)
  .max(MAX_ACTION_KEY_LENGTH)
  .regex(ACTION_KEY_PATTERN, "Action keys are lower-case letters, digits, dots, dashes and underscores, e.g. aria.chat.");
const quantity = z.number().int().min(1).max(MAX_QUANTITY);
const credits = z.number().int().min(0).max(MAX_CREDITS);
/** Platform keys name the workspace in each request (by id or by the product's external id); workspace keys act on their own. */
export const workspaceSelectorFields = {
  workspace_id: z.string().min(1).max(100).optional(),
  external_id: z.string().min(1).max(200).optional(),
};

/** What a tracked or reserved event may carry: the caller's idempotency key, a subject, free metadata. */
const eventFields = {
  idempotency_key: z.string().min(1).max(MAX_IDEMPOTENCY_KEY_LENGTH).optional(),
  subject: z.string().min(1).max(200).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
};

/** Optional: the workspace member the action is done for (their email), recorded on the event next to the key. */
const memberEmail = z.email().max(254);

export const trackBody = z.strictObject({
  ...workspaceSelectorFields,
  member_email: memberEmail.optional(),
  action: actionKey,
  quantity: quantity.optional(),
  ...eventFields,
});

export const checkBody = z.strictObject({ ...workspaceSelectorFields, action: actionKey, quantity: quantity.optional() });

export const reserveBody = z.strictObject({
  ...workspaceSelectorFields,
  member_email: memberEmail.optional(),
  action: actionKey,
  quantity: quantity.optional(),
  estimate: credits.optional(),
  ...eventFields,
});

/**
 * The metering hot path's bodies without zod (lib/api/v1.ts actionRoute): a body zod would take is
 * returned as zod returns it (the same fields, values and key order); anything else, or anything
 * unusual, is null and goes to zod, which then answers — errors always come from the schema above.
 * Every check is the schema's own, from the same limits; test/unit/action-bodies.test.ts holds the two
 * together over valid and invalid bodies. About a tenth of the route's own CPU on every debit.
 */
/** A reservation's body holds every field a track body may (and `estimate`). */
export type ActionBodyFields = z.infer<typeof reserveBody>;
const TRACK_KEYS = new Set(Object.keys(trackBody.shape));
const RESERVE_KEYS = new Set(Object.keys(reserveBody.shape));
const EMAIL = z.regexes.email;
const text = (v: unknown, min: number, max: number): v is string => typeof v === "string" && v.length >= min && v.length <= max;
const whole = (v: unknown, min: number, max: number): v is number =>
  typeof v === "number" && Number.isSafeInteger(v) && v >= min && v <= max;

function acceptAction(raw: unknown, keys: ReadonlySet<string>, reserve: boolean): ActionBodyFields | null {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  const b = raw as Record<string, unknown>;
  for (const key in b) if (!keys.has(key)) return null;
  const { workspace_id, external_id, member_email, action, quantity, estimate, idempotency_key, subject, metadata } = b;
  // In the schema's key order, as zod builds its output.
  const out = {} as ActionBodyFields;
  if (workspace_id !== undefined) {
    if (!text(workspace_id, 1, 100)) return null;
    out.workspace_id = workspace_id;
  }
  if (external_id !== undefined) {
    if (!text(external_id, 1, 200)) return null;
    out.external_id = external_id;
  }
  if (member_email !== undefined) {
    if (!text(member_email, 0, 254) || !EMAIL.test(member_email)) return null;
    out.member_email = member_email;
  }
  if (!text(action, 1, MAX_ACTION_KEY_LENGTH) || !ACTION_KEY_PATTERN.test(action)) return null;
  out.action = action;
  if (quantity !== undefined) {
    if (!whole(quantity, 1, MAX_QUANTITY)) return null;
    out.quantity = quantity;
  }
  if (reserve && estimate !== undefined) {
    if (!whole(estimate, 0, MAX_CREDITS)) return null;
    out.estimate = estimate;
  }
  if (idempotency_key !== undefined) {
    if (!text(idempotency_key, 1, MAX_IDEMPOTENCY_KEY_LENGTH)) return null;
    out.idempotency_key = idempotency_key;
  }
  if (subject !== undefined) {
    if (!text(subject, 1, 200)) return null;
    out.subject = subject;
  }
  if (metadata !== undefined) {
    // z.record copies the object's own keys and drops a "__proto__" one: left to zod.
    if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata) || Object.hasOwn(metadata, "__proto__")) return null;
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(metadata)) copy[key] = (metadata as Record<string, unknown>)[key];
    out.metadata = copy;
  }
  return out;
}

export const acceptTrackBody = (raw: unknown) => acceptAction(raw, TRACK_KEYS, false);
export const acceptReserveBody = (raw: unknown) => acceptAction(raw, RESERVE_KEYS, true);

export const commitBody = z.strictObject({ ...workspaceSelectorFields, actual: credits });
export const workspaceOnlyBody = z.strictObject({ ...workspaceSelectorFields });
export const refundBody = z.strictObject({ ...workspaceSelectorFields, reason: z.string().min(1).max(500).optional() });

export const upsertWorkspaceBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  owner_email: z.email().max(254).optional(),
});

export const usageQuery = z.strictObject({
  ...workspaceSelectorFields,
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  action: actionKey.optional(),
  status: z.enum(["completed", "queued", "pending", "released", "refunded"]).optional(),
  member_email: memberEmail.optional(),
  api_key_id: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(200).optional(),
});

/** PUT /api/v1/budgets (and Settings): one budget of the workspace, a key or a member (docs/decisions/018-budgets.md). */
const budgetFields = {
  scope: z.enum(["workspace", "api_key", "member"]),
  api_key_id: z.string().min(1).max(100).optional().describe("With scope api_key: the key's id."),
  member_id: z.string().min(1).max(100).optional().describe("With scope member: the member's user id."),
  period: z.enum(["day", "week", "month", "none"]).describe("Calendar periods in UTC (weeks from Monday); none: a lifetime amount."),
  mode: z
    .enum(["hard", "soft"])
    .default("hard")
    .describe("hard refuses a call that would pass it (402 budget_exceeded); soft only alerts."),
  limit: credits.optional().describe("The budget in credits (or limit_percent)."),
  limit_percent: z.number().int().min(1).max(1_000).optional().describe("Workspace budgets: a percentage of the plan's monthly allowance."),
};

function refineBudget(
  v: { scope: string; api_key_id?: string; member_id?: string; limit?: number; limit_percent?: number },
  ctx: z.RefinementCtx,
): void {
  if ((v.limit === undefined) === (v.limit_percent === undefined)) {
    ctx.addIssue({
      code: "custom",
      path: ["limit"],
      message: "Give the budget as limit (credits) or limit_percent (of the plan's allowance), not both.",
    });
  }
  if (v.limit_percent !== undefined && v.scope !== "workspace") {
    ctx.addIssue({
      code: "custom",
      path: ["limit_percent"],
      message: "Only a workspace budget can be a percentage of the plan's allowance.",
    });
  }
  if (v.scope === "api_key" && !v.api_key_id)
    ctx.addIssue({ code: "custom", path: ["api_key_id"], message: "Name the API key (api_key_id)." });
  if (v.scope === "member" && !v.member_id) ctx.addIssue({ code: "custom", path: ["member_id"], message: "Name the member (member_id)." });
  if (v.scope !== "api_key" && v.api_key_id)
    ctx.addIssue({ code: "custom", path: ["api_key_id"], message: "api_key_id goes with scope api_key." });
  if (v.scope !== "member" && v.member_id)
    ctx.addIssue({ code: "custom", path: ["member_id"], message: "member_id goes with scope member." });
}

export const budgetInput = z.strictObject(budgetFields).superRefine(refineBudget);
export type BudgetInput = z.input<typeof budgetInput>;
export const setBudgetBody = z.strictObject({ ...workspaceSelectorFields, ...budgetFields }).superRefine(refineBudget);
