import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError, fieldErrors } from "@/lib/errors";
import { createApiKey, listKeys, revokeApiKey, setKeyWebhook, updateKeyLimits } from "@/lib/metering/keys";

/**
 * Platform keys: the AI product's backend acts on any workspace it names (docs/design.md "Integration and limits").
 * Only operators create, restrict and revoke them, and each change is in the audit log. The secret is
 * returned once, at creation; only its hash is stored (lib/metering/keys.ts).
 */

const createSchema = z.object({
  name: z.string().trim().min(1, "Name the key, e.g. “Production backend”.").max(100, "Use at most 100 characters."),
  hourlyCap: z.coerce.number().int("Use a whole number.").min(1, "At least 1 call an hour.").max(1_000_000, "At most 1,000,000."),
  allowedActions: z.array(z.string().max(100)).max(100),
});
export type PlatformKeyInput = z.input<typeof createSchema>;

async function knownActions(keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  const found = await db.actionPrice.findMany({ where: { actionKey: { in: keys } }, distinct: ["actionKey"], select: { actionKey: true } });
  const missing = keys.filter((k) => !found.some((f) => f.actionKey === k));
  if (missing.length > 0) {
    throw new AppError("invalid_request", `Unknown action${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}.`, {
      details: { fields: { allowedActions: "Pick actions from the price table." } },
    });
  }
}

function audit(input: { operatorId: string; action: string; keyId: string; reason?: string | null; data: object }) {
  return db.auditLog.create({
    data: {
      actorUserId: input.operatorId,
      action: input.action,
      targetType: "api_key",
      targetId: input.keyId,
      reason: input.reason ?? null,
      data: input.data,
      createdAt: now(),
    },
  });
}

export function listPlatformKeys() {
  return listKeys({ kind: "PLATFORM" });
}

export async function createPlatformKey(input: PlatformKeyInput, operatorId: string): Promise<{ key: string; prefix: string }> {
  const parsed = createSchema.safeParse(input);
  if (!parsed.success)
    throw new AppError("invalid_request", "Check the highlighted fields.", { details: { fields: fieldErrors(parsed.error.issues) } });
  const allowedActions = [...new Set(parsed.data.allowedActions)].sort();
  await knownActions(allowedActions);
  const { key, client } = await createApiKey({
    kind: "PLATFORM",
    workspaceId: null,
    name: parsed.data.name,
    hourlyCap: parsed.data.hourlyCap,
    allowedActions,
    createdById: operatorId,
  });
  await audit({
    operatorId,
    action: "platform_key.create",
    keyId: client.id,
    data: { name: client.name, prefix: client.prefix, hourlyCap: client.hourlyCap, allowedActions },
  });
  return { key, prefix: client.prefix };
}

async function platformKey(id: string) {
  const key = await db.apiClient.findFirst({
    where: { id, kind: "PLATFORM" },
    select: { id: true, name: true, hourlyCap: true, webhookUrl: true, revokedAt: true },
  });
  if (!key) throw new AppError("not_found", "No such platform key.");
  return key;
}

export async function revokePlatformKey(id: string, operatorId: string): Promise<void> {
  const before = await platformKey(id);
  await revokeApiKey({ id, workspaceId: null });
  if (!before.revokedAt) await audit({ operatorId, action: "platform_key.revoke", keyId: id, data: { name: before.name } });
}

export async function setPlatformKeyCap(id: string, hourlyCap: number, operatorId: string): Promise<void> {
  const before = await platformKey(id);
  await updateKeyLimits({ id, workspaceId: null, hourlyCap });
  await audit({
    operatorId,
    action: "platform_key.update",
    keyId: id,
    data: { name: before.name, before: { hourlyCap: before.hourlyCap }, after: { hourlyCap } },
  });
}

export async function setPlatformKeyWebhook(id: string, url: string | null, operatorId: string): Promise<void> {
  const before = await platformKey(id);
  await setKeyWebhook({ id, workspaceId: null, url });
  const after = await platformKey(id);
  await audit({
    operatorId,
    action: "platform_key.update",
    keyId: id,
    data: { name: before.name, before: { webhookUrl: before.webhookUrl }, after: { webhookUrl: after.webhookUrl } },
  });
}
