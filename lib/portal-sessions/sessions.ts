import { createHash, randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { appUrl } from "@/lib/env";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import type { AuthenticatedClient } from "@/lib/metering/keys";
import type { PortalMode, PortalRole } from "@/lib/generated/prisma/client";
import type { ApiResult } from "@/lib/metering/responses";
import type { CreatePortalSessionInput, PortalSessionBody, PortalSessionRevokedBody } from "@/lib/portal-sessions/schemas";

/**
 * Portal sessions: billing shown inside the AI product (docs/decisions/018-portal-sessions.md).
 * A link carries a random single-use token (only its SHA-256 is stored) that expires unused after
 * LINK_TTL_MS; opening it starts a session of SESSION_TTL_MS whose own secret authenticates the page's
 * live refresh (no cookies: a third-party iframe may have none). Every creation, opening, refused reuse
 * and revocation is written to the audit log.
 */
export const LINK_TTL_MS = 5 * 60 * 1000;
export const SESSION_TTL_MS = 60 * 60 * 1000;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function hashSecret(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

const ROLE: Record<CreatePortalSessionInput["user"]["role"], PortalRole> = { owner: "OWNER", member: "MEMBER", viewer: "VIEWER" };
const MODE: Record<NonNullable<CreatePortalSessionInput["mode"]>, PortalMode> = { hosted: "HOSTED", embedded: "EMBEDDED" };

async function audit(action: string, sessionId: string, data: Record<string, string | null>) {
  await db.auditLog.create({ data: { action, targetType: "portal_session", targetId: sessionId, data } });
}

/** POST /api/v1/portal_sessions: a single-use link for one of the product's users. */
export async function createPortalSession(input: { client: AuthenticatedClient; workspaceId: string; body: CreatePortalSessionInput }): Promise<ApiResult<PortalSessionBody>> {
  const token = newSecret();
  const mode = input.body.mode ?? "hosted";
  const tokenExpiresAt = new Date(now().getTime() + LINK_TTL_MS);
  const session = await db.$transaction(async (tx) => {
    const created = await tx.portalSession.create({
      data: {
        workspaceId: input.workspaceId,
        apiClientId: input.client.id,
        userRef: input.body.user.id,
        userEmail: input.body.user.email.toLowerCase(),
        userName: input.body.user.name ?? null,
        role: ROLE[input.body.user.role],
        mode: MODE[mode],
        returnUrl: input.body.return_url ?? null,
        tokenHash: hashSecret(token),
        tokenExpiresAt,
      },
    });
    await tx.auditLog.create({
      data: {
        action: "portal_session.create",
        targetType: "portal_session",
        targetId: created.id,
        data: { workspace_id: input.workspaceId, api_client_id: input.client.id, user_id: input.body.user.id, user_email: created.userEmail, role: input.body.user.role, mode },
      },
    });
    return created;
  });
  return {
    status: 201,
    body: { id: session.id, url: appUrl(`/${mode === "embedded" ? "embed" : "portal"}/${token}`), expires_at: tokenExpiresAt.toISOString() },
  };
}

/** POST /api/v1/portal_sessions/{id}/revoke: ends the link or the session at once; twice is harmless. */
export async function revokePortalSession(input: { workspaceId: string; id: string }): Promise<ApiResult<PortalSessionRevokedBody>> {
  const session = await db.portalSession.findFirst({ where: { id: input.id, workspaceId: input.workspaceId }, select: { id: true, revokedAt: true } });
  if (!session) throw new AppError("not_found", "No portal session with this id in this workspace.", { nextStep: "Use the id POST /api/v1/portal_sessions answered." });
  if (session.revokedAt) return { status: 200, body: { id: session.id, status: "revoked", revoked_at: session.revokedAt.toISOString(), replayed: true } };
  const at = now();
  const updated = await db.portalSession.updateMany({ where: { id: session.id, revokedAt: null }, data: { revokedAt: at } });
  if (updated.count === 0) {
    const again = await db.portalSession.findUniqueOrThrow({ where: { id: session.id }, select: { revokedAt: true } });
    return { status: 200, body: { id: session.id, status: "revoked", revoked_at: again.revokedAt!.toISOString(), replayed: true } };
  }
  await audit("portal_session.revoke", session.id, { workspace_id: input.workspaceId });
  return { status: 200, body: { id: session.id, status: "revoked", revoked_at: at.toISOString(), replayed: false } };
}

export type PortalView = {
  sessionId: string;
  workspaceId: string;
  workspaceName: string;
  role: PortalRole;
  mode: PortalMode;
  userName: string | null;
  userEmail: string;
  returnUrl: string | null;
  expiresAt: Date;
  allowedOrigins: string[];
};

export type OpenOutcome =
  | { ok: true; secret: string; view: PortalView }
  | { ok: false; reason: "unknown" | "used" | "expired" | "revoked"; workspaceName: string | null; returnUrl: string | null; allowedOrigins: string[] };

const viewSelect = {
  id: true,
  workspaceId: true,
  role: true,
  mode: true,
  userName: true,
  userEmail: true,
  returnUrl: true,
  tokenExpiresAt: true,
  openedAt: true,
  expiresAt: true,
  revokedAt: true,
  workspace: { select: { name: true } },
  apiClient: { select: { allowedOrigins: true, revokedAt: true } },
} as const;

/**
 * Opens a link: the first call consumes its token (atomically: of two racing opens one wins) and
 * returns the session's secret, shown to the page once. Reused, expired or revoked links are refused
 * (a reuse is audited), as is a link whose key was revoked since.
 */
export async function openPortalSession(token: string, mode: PortalMode): Promise<OpenOutcome> {
  const refused = (reason: "unknown" | "used" | "expired" | "revoked", row?: { workspace: { name: string }; returnUrl: string | null; apiClient: { allowedOrigins: string[] } }): OpenOutcome => ({
    ok: false,
    reason,
    workspaceName: row?.workspace.name ?? null,
    returnUrl: row?.returnUrl ?? null,
    allowedOrigins: row?.apiClient.allowedOrigins ?? [],
  });
  if (!TOKEN.test(token)) return refused("unknown");
  const row = await db.portalSession.findUnique({ where: { tokenHash: hashSecret(token) }, select: viewSelect });
  if (!row || row.mode !== mode) return refused("unknown");
  if (row.revokedAt || row.apiClient.revokedAt) return refused("revoked", row);
  if (row.openedAt) {
    await audit("portal_session.reuse_refused", row.id, { workspace_id: row.workspaceId });
    return refused("used", row);
  }
  const at = now();
  if (row.tokenExpiresAt <= at) return refused("expired", row);
  const secret = newSecret();
  const expiresAt = new Date(at.getTime() + SESSION_TTL_MS);
  const claimed = await db.portalSession.updateMany({
    where: { id: row.id, openedAt: null, revokedAt: null },
    data: { openedAt: at, secretHash: hashSecret(secret), expiresAt },
  });
  if (claimed.count === 0) {
    await audit("portal_session.reuse_refused", row.id, { workspace_id: row.workspaceId });
    return refused("used", row);
  }
  await audit("portal_session.open", row.id, { workspace_id: row.workspaceId });
  return {
    ok: true,
    secret,
    view: {
      sessionId: row.id,
      workspaceId: row.workspaceId,
      workspaceName: row.workspace.name,
      role: row.role,
      mode: row.mode,
      userName: row.userName,
      userEmail: row.userEmail,
      returnUrl: row.returnUrl,
      expiresAt,
      allowedOrigins: row.apiClient.allowedOrigins,
    },
  };
}

export const PORTAL_SECRET_HEADER = "x-portal-secret";

/** The open, unexpired, unrevoked session of a page's secret; 403 otherwise (the page shows "expired"). */
export async function sessionBySecret(secret: string | null): Promise<PortalView> {
  const expired = () => new AppError("forbidden", "This billing session has expired.", { nextStep: "Reopen billing from the product.", details: { reason: "session_expired" } });
  if (!secret || !TOKEN.test(secret)) throw expired();
  const row = await db.portalSession.findUnique({ where: { secretHash: hashSecret(secret) }, select: viewSelect });
  if (!row || !row.expiresAt || row.revokedAt || row.apiClient.revokedAt || row.expiresAt <= now()) throw expired();
  return {
    sessionId: row.id,
    workspaceId: row.workspaceId,
    workspaceName: row.workspace.name,
    role: row.role,
    mode: row.mode,
    userName: row.userName,
    userEmail: row.userEmail,
    returnUrl: row.returnUrl,
    expiresAt: row.expiresAt,
    allowedOrigins: row.apiClient.allowedOrigins,
  };
}

/** Only owners buy (docs/design.md "Model"); members and viewers are refused here as on the page. */
export function assertMayBuy(view: PortalView): void {
  if (view.role !== "OWNER") throw new AppError("forbidden", "Only the workspace's owners can buy credits or change the plan.", { nextStep: "Ask an owner of the workspace." });
}
