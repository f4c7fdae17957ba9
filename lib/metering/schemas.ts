import { z } from "zod";

/** Request bodies of the metering API. The OpenAPI document is generated from these. */
const actionKey = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9_.-]+$/, "Action keys are lower-case letters, digits, dots, dashes and underscores, e.g. aria.chat.");
const quantity = z.number().int().min(1).max(1_000_000);
const credits = z.number().int().min(0).max(2_147_483_647);
const workspace = {
  workspace_id: z.string().min(1).max(100).optional(),
  external_id: z.string().min(1).max(200).optional(),
};

/** Optional: the workspace member the action is done for (their email), recorded on the event next to the key. */
const memberEmail = z.email().max(254);

export const trackBody = z.strictObject({
  ...workspace,
  member_email: memberEmail.optional(),
  action: actionKey,
  quantity: quantity.optional(),
  idempotency_key: z.string().min(1).max(200).optional(),
  subject: z.string().min(1).max(200).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

export const checkBody = z.strictObject({ ...workspace, action: actionKey, quantity: quantity.optional() });

export const reserveBody = z.strictObject({
  ...workspace,
  member_email: memberEmail.optional(),
  action: actionKey,
  quantity: quantity.optional(),
  estimate: credits.optional(),
  idempotency_key: z.string().min(1).max(200).optional(),
  subject: z.string().min(1).max(200).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

export const commitBody = z.strictObject({ ...workspace, actual: credits });
export const workspaceOnlyBody = z.strictObject({ ...workspace });
export const refundBody = z.strictObject({ ...workspace, reason: z.string().min(1).max(500).optional() });

export const upsertWorkspaceBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  owner_email: z.email().max(254).optional(),
});

export const usageQuery = z.strictObject({
  ...workspace,
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  action: actionKey.optional(),
  status: z.enum(["completed", "queued", "pending", "released", "refunded"]).optional(),
  member_email: memberEmail.optional(),
  api_key_id: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(200).optional(),
});
