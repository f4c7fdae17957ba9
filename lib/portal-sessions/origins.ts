import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import type { AuthenticatedClient } from "@/lib/metering/keys";
import type { ApiResult } from "@/lib/metering/responses";
import type { EmbedOriginsBody } from "@/lib/portal-sessions/schemas";
import { hashSecret, SECRET_PATTERN } from "@/lib/portal-sessions/sessions";

/**
 * Origins that may frame the embedded billing panel (docs/decisions/019-portal-sessions.md): exactly
 * scheme://host[:port], http or https, no path, query, fragment or credentials. Kept on the API key
 * (ApiClient.allowedOrigins) and written into the embed page's CSP frame-ancestors.
 */
export const MAX_ALLOWED_ORIGINS = 10;

/** The canonical origin of `value` (a trailing slash is forgiven), or null when it is not exactly an origin. */
export function parseOrigin(value: string): string | null {
  const trimmed = value.trim();
  if (!/^https?:\/\/[^/?#\s]+\/?$/i.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    // Exact hosts only (a wildcard would let any subdomain frame it): letters, digits, dots, hyphens, or an IPv6 literal.
    if (url.username || url.password || !/^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/.test(url.hostname)) return null;
    return url.origin === "null" ? null : url.origin;
  } catch {
    return null;
  }
}

/** Parses a list (comma, space or newline separated); `invalid` holds what was not an origin. */
export function parseOrigins(input: string | string[]): { origins: string[]; invalid: string[] } {
  const parts = (Array.isArray(input) ? input : input.split(/[\s,]+/)).map((s) => s.trim()).filter(Boolean);
  const origins: string[] = [];
  const invalid: string[] = [];
  for (const part of parts) {
    const origin = parseOrigin(part);
    if (origin === null) invalid.push(part);
    else if (!origins.includes(origin)) origins.push(origin);
  }
  return { origins, invalid };
}

/** The frame-ancestors directive for these origins: exactly them, or 'none'. */
export function frameAncestors(origins: readonly string[]): string {
  const valid = origins.map(parseOrigin).filter((o): o is string => o !== null);
  return `frame-ancestors ${valid.length > 0 ? valid.join(" ") : "'none'"}`;
}

/** The list as a key stores it, or an AppError naming what is not an origin (400, field `origins`). */
export function checkedOrigins(input: string | string[]): string[] {
  const { origins, invalid } = parseOrigins(input);
  if (invalid.length > 0) {
    throw new AppError("invalid_request", `Not an origin: ${invalid.slice(0, 3).join(", ")}${invalid.length > 3 ? "…" : ""}.`, {
      nextStep: "Give each as scheme://host[:port], e.g. https://app.example.com (no path).",
      details: { field: "origins", fields: { origins: "Use scheme://host[:port], e.g. https://app.example.com." } },
    });
  }
  if (origins.length > MAX_ALLOWED_ORIGINS) {
    throw new AppError("invalid_request", `At most ${MAX_ALLOWED_ORIGINS} origins per key.`, {
      details: { field: "origins", fields: { origins: `At most ${MAX_ALLOWED_ORIGINS}.` } },
    });
  }
  return origins;
}

/**
 * Sets the origins that may frame the embedded billing of an active key: a platform key's
 * (`workspaceId: null`, from /admin) or a workspace's own (Settings → API keys, or the key itself over
 * PUT /api/v1/embed_origins). Audited with before → after.
 */
export async function setAllowedOrigins(input: {
  id: string;
  workspaceId: string | null;
  origins: string | string[];
  actorUserId?: string | null;
}): Promise<string[]> {
  const origins = checkedOrigins(input.origins);
  return db.$transaction(async (tx) => {
    const key = await tx.apiClient.findFirst({
      where: { id: input.id, workspaceId: input.workspaceId, revokedAt: null },
      select: { id: true, name: true, allowedOrigins: true },
    });
    if (!key) throw new AppError("not_found", "No such active API key.");
    await tx.apiClient.update({ where: { id: key.id }, data: { allowedOrigins: origins } });
    await tx.auditLog.create({
      data: {
        actorUserId: input.actorUserId ?? null,
        action: "api_key.embed_origins",
        targetType: "api_key",
        targetId: key.id,
        createdAt: now(),
        data: { name: key.name, before: { allowedOrigins: key.allowedOrigins }, after: { allowedOrigins: origins } },
      },
    });
    return origins;
  });
}

/** GET /api/v1/embed_origins: the calling key's origins. */
export async function embedOriginsOf(client: AuthenticatedClient): Promise<ApiResult<EmbedOriginsBody>> {
  const key = await db.apiClient.findUniqueOrThrow({ where: { id: client.id }, select: { allowedOrigins: true } });
  return { status: 200, body: { origins: key.allowedOrigins } };
}

/** PUT /api/v1/embed_origins: replaces the calling key's origins. */
export async function replaceEmbedOrigins(client: AuthenticatedClient, origins: string[]): Promise<ApiResult<EmbedOriginsBody>> {
  return { status: 200, body: { origins: await setAllowedOrigins({ id: client.id, workspaceId: client.workspaceId, origins }) } };
}

/**
 * The frame-ancestors directive of GET /embed/{token} (proxy.ts): the origins of the key that made the
 * link, whatever state the link is in (so its "ask to reopen" page shows inside the product too), and
 * 'none' for a token nobody made. Reads without consuming the token.
 */
export async function embedFrameAncestors(token: string): Promise<string> {
  if (!SECRET_PATTERN.test(token)) return frameAncestors([]);
  const row = await db.portalSession.findUnique({
    where: { tokenHash: hashSecret(token) },
    select: { apiClient: { select: { allowedOrigins: true } } },
  });
  return frameAncestors(row?.apiClient.allowedOrigins ?? []);
}
