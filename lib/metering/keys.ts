import "server-only";
import nodeCrypto, { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { db, getPool, utcTimestamp, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { bearerKey, isWellFormedKey, KEY_PREFIX_LENGTH } from "@/lib/metering/key-format";
import { checkWebhookUrl } from "@/lib/webhooks/url";
import { allowLocalWebhooks } from "@/lib/webhooks/send";
import { signingSecret } from "@/lib/webhooks/signing";

export { bearerKey, isWellFormedKey, KEY_PREFIX_LENGTH };

/**
 * API keys (their format: lib/metering/key-format.ts). The prefix is stored for lookup, the whole
 * key only as a SHA-256 hash (keys are 256-bit random secrets, so a fast hash is enough; argon2 is for
 * passwords). The secret is shown once, at creation.
 */
const KIND_TAG = { WORKSPACE: "live", PLATFORM: "plat" } as const;
const PREFIX_LENGTH = KEY_PREFIX_LENGTH;

export type KeyKind = keyof typeof KIND_TAG;

/** Node's one-shot digest (20.12+; engines allow 20.9): no Hash object per call, on every debit. */
const oneShotHash = (nodeCrypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;

export function hashKey(key: string): string {
  return oneShotHash ? oneShotHash("sha256", key, "hex") : createHash("sha256").update(key).digest("hex");
}

export function newKey(kind: KeyKind): { key: string; prefix: string } {
  const id = randomBytes(12).toString("base64url").replace(/[-_]/g, "").slice(0, 12).padEnd(12, "0");
  const key = `cb_${KIND_TAG[kind]}_${id}_${randomBytes(32).toString("base64url")}`;
  return { key, prefix: key.slice(0, PREFIX_LENGTH) };
}

export type CreateKeyInput = {
  kind: KeyKind;
  workspaceId: string | null;
  name: string;
  createdById?: string | null;
  hourlyCap?: number;
  maxPending?: number;
  allowedActions?: string[];
};

/** Creates a key and returns it with its secret — the only time the secret is available. */
export async function createApiKey(input: CreateKeyInput, client: Tx = db) {
  if ((input.kind === "WORKSPACE") !== (input.workspaceId !== null)) {
    throw new AppError("invalid_request", "Workspace keys belong to one workspace; platform keys to none.");
  }
  const name = input.name.trim();
  if (!name || name.length > 100)
    throw new AppError("invalid_request", "Give the key a name of 1 to 100 characters.", { details: { field: "name" } });
  const { key, prefix } = newKey(input.kind);
  const created = await client.apiClient.create({
    data: {
      kind: input.kind,
      workspaceId: input.workspaceId,
      name,
      prefix,
      secretHash: hashKey(key),
      hourlyCap: input.hourlyCap ?? 60,
      maxPending: input.maxPending ?? 10,
      allowedActions: input.allowedActions ?? [],
      createdById: input.createdById ?? null,
      createdAt: now(),
    },
  });
  return { client: created, key };
}

export type AuthenticatedClient = {
  id: string;
  kind: KeyKind;
  workspaceId: string | null;
  name: string;
  hourlyCap: number;
  maxPending: number;
  allowedActions: string[];
};

const LAST_USED_RESOLUTION_MS = 5 * 60 * 1000;
const DUMMY_HASH = Buffer.from(hashKey("cb_live_000000000000_dummy"), "hex");

/**
 * The API client for `Authorization: Bearer <key>`, or a 401. Missing, malformed, unknown and revoked
 * keys all get the same answer after the same work: a lookup by prefix and one constant-time hash
 * comparison (against a dummy hash when the prefix is unknown), so timing does not reveal which.
 */
export async function authenticateKey(authorization: string | null): Promise<AuthenticatedClient> {
  const key = bearerKey(authorization);
  const wellFormed = isWellFormedKey(key);
  // Plain pg on the shared pool: this runs on every API call.
  const row = wellFormed
    ? ((
        await getPool().query<AuthenticatedClient & { secretHash: string; revoked: boolean; stale: boolean }>(
          `SELECT id, kind::text AS kind, "workspaceId", name, "hourlyCap", "maxPending", "allowedActions", "secretHash",
                  "revokedAt" IS NOT NULL AS revoked, ("lastUsedAt" IS NULL OR "lastUsedAt" < $2::timestamp(3)) AS stale
             FROM "ApiClient" WHERE prefix = $1`,
          [key.slice(0, PREFIX_LENGTH), utcTimestamp(new Date(now().getTime() - LAST_USED_RESOLUTION_MS))],
        )
      ).rows[0] ?? null)
    : null;
  const presented = Buffer.from(hashKey(key), "hex");
  const stored = row ? Buffer.from(row.secretHash, "hex") : DUMMY_HASH;
  const matches = timingSafeEqual(presented, stored.length === presented.length ? stored : DUMMY_HASH);
  if (!row || !matches || row.revoked) throw unauthenticated(key);
  if (row.stale) touchKey(row.id);
  const { secretHash: _hash, revoked: _revoked, stale: _stale, ...client } = row;
  return client;
}

/** Records that a key was used: at most one write per key every few minutes, off the request's path. */
export function touchKey(id: string): void {
  void db.apiClient.update({ where: { id }, data: { lastUsedAt: now() } }).catch(() => {});
}

export async function revokeApiKey(input: { id: string; workspaceId: string | null }): Promise<void> {
  const result = await db.apiClient.updateMany({
    where: { id: input.id, workspaceId: input.workspaceId, revokedAt: null },
    data: { revokedAt: now() },
  });
  if (result.count === 0) {
    const exists = await db.apiClient.count({ where: { id: input.id, workspaceId: input.workspaceId } });
    if (!exists) throw new AppError("not_found", "No such API key.");
  }
}

/** Keys may be restricted to some actions: anything else is 403 policy_denied (not a quota denial). */
export function assertActionAllowed(client: AuthenticatedClient, actionKey: string): void {
  if (client.allowedActions.length > 0 && !client.allowedActions.includes(actionKey)) throw policyDenied(actionKey);
}

export function policyDenied(actionKey: string): AppError {
  return new AppError("policy_denied", `This API key may not perform "${actionKey}".`, {
    nextStep: "Use a key allowed this action, or ask a workspace owner to add it to the key's allowed actions.",
    details: { action: actionKey },
  });
}

/** The one 401 of the metering API: missing, malformed, unknown and revoked keys all get it. */
export function unauthenticated(key: string): AppError {
  return new AppError("unauthenticated", key ? "This API key is not valid." : "Send your API key as `Authorization: Bearer <key>`.", {
    nextStep: "Create or copy a key in Settings → API keys.",
  });
}

/** What a list of API keys shows of each (never the secret or its hash). */
export const API_KEY_VIEW = {
  id: true,
  name: true,
  prefix: true,
  hourlyCap: true,
  maxPending: true,
  allowedActions: true,
  allowedOrigins: true,
  webhookUrl: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

/**
 * A listed key as the key list gets it: dates as ISO strings, and the secret that signs its webhooks
 * (derived, never stored) when `showSecret` and it has a webhook URL.
 */
export function keyListItem<
  K extends { id: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null; webhookUrl: string | null },
>(k: K, showSecret: boolean) {
  return {
    ...k,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    signingSecret: showSecret && k.webhookUrl ? signingSecret(k.id) : null,
  };
}

/** API keys, active ones first, newest first: a workspace's (the portal) or the platform keys (operators). */
export function listKeys(where: Prisma.ApiClientWhereInput) {
  return db.apiClient.findMany({
    where,
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: API_KEY_VIEW,
  });
}

/** A workspace's keys for the portal. */
export const listWorkspaceKeys = (workspaceId: string) => listKeys({ workspaceId });

/** `workspaceId` scopes the change: a workspace's own keys, or null for platform keys. */
export async function updateKeyLimits(input: { id: string; workspaceId: string | null; hourlyCap: number }): Promise<void> {
  if (!Number.isSafeInteger(input.hourlyCap) || input.hourlyCap < 1 || input.hourlyCap > 1_000_000) {
    throw new AppError("invalid_request", "The hourly cap is a whole number from 1 to 1,000,000.", { details: { field: "hourlyCap" } });
  }
  const r = await db.apiClient.updateMany({
    where: { id: input.id, workspaceId: input.workspaceId, revokedAt: null },
    data: { hourlyCap: input.hourlyCap },
  });
  if (r.count === 0) throw new AppError("not_found", "No such active API key.");
}

/** Where queued events of this key are announced when charged (null removes it). */
export async function setKeyWebhook(input: { id: string; workspaceId: string | null; url: string | null }): Promise<void> {
  let url: string | null = null;
  if (input.url) {
    const checked = checkWebhookUrl(input.url, { allowLocal: allowLocalWebhooks() });
    if (!checked.ok) throw new AppError("invalid_request", checked.message, { details: { field: "webhookUrl" } });
    url = checked.url;
  }
  const r = await db.apiClient.updateMany({
    where: { id: input.id, workspaceId: input.workspaceId, revokedAt: null },
    data: { webhookUrl: url },
  });
  if (r.count === 0) throw new AppError("not_found", "No such active API key.");
}
