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
 * Portal sessions: billing shown inside the AI product (docs/decisions/019-portal-sessions.md).
 * A link carries a random single-use token (only its SHA-256 is stored) that expires unused after
 * LINK_TTL_MS; opening it starts a session of SESSION_TTL_MS whose own secret authenticates the page's
 * live refresh and purchases (sent as a header: no cookies, which a third-party iframe may not have).
 * Every creation, opening, refused reuse, purchase and revocation is written to the audit log; neither
 * the token nor the secret ever is.
 */
export const LINK_TTL_MS = 5 * 60 * 1000;
export const SESSION_TTL_MS = 60 * 60 * 1000;

/** 32 random bytes, base64url: the shape of every token and secret (anything else is refused unread). */
export const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function hashSecret(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

const ROLE: Record<CreatePortalSessionInput["user"]["role"], PortalRole> = { owner: "OWNER", member: "MEMBER", viewer: "VIEWER" };
const MODE: Record<NonNullable<CreatePortalSessionInput["mode"]>, PortalMode> = { hosted: "HOSTED", embedded: "EMBEDDED" };
const PATH: Record<PortalMode, string> = { HOSTED: "portal", EMBEDDED: "embed" };

/** The audit entry of one use of a session (no actor: the product's user is named in `data`). */
export async function auditPortal(action: string, sessionId: string, data: Record<string, string | number | null>): Promise<void> {
  await db.auditLog.create({ data: { action, targetType: "portal_session", targetId: sessionId, data, createdAt: now() } });
}

/** POST /api/v1/portal_sessions: a single-use link for one of the product's users. */
export async function createPortalSession(input: {
  client: AuthenticatedClient;
  workspaceId: string;
  body: CreatePortalSessionInput;
}): Promise<ApiResult<PortalSessionBody>> {
  const token = newSecret();
  const mode = MODE[input.body.mode ?? "hosted"];
  const createdAt = now();
  const tokenExpiresAt = new Date(createdAt.getTime() + LINK_TTL_MS);
  const session = await db.$transaction(async (tx) => {
    const created = await tx.portalSession.create({
      data: {
        workspaceId: input.workspaceId,
        apiClientId: input.client.id,
        userRef: input.body.user.id,
        userEmail: input.body.user.email.toLowerCase(),
        userName: input.body.user.name ?? null,
        role: ROLE[input.body.user.role],
        mode,
        returnUrl: input.body.return_url ?? null,
        productName: input.body.product_name ?? null,
        tokenHash: hashSecret(token),
        tokenExpiresAt,
        createdAt,
      },
    });
    await tx.auditLog.create({
      data: {
        action: "portal_session.create",
        targetType: "portal_session",
        targetId: created.id,
        createdAt,
        data: {
          workspace_id: input.workspaceId,
          api_client_id: input.client.id,
          user_id: created.userRef,
          user_email: created.userEmail,
          role: input.body.user.role,
          mode: PATH[mode],
        },
      },
    });
    return created;
  });
  return { status: 201, body: { id: session.id, url: appUrl(`/${PATH[mode]}/${token}`), expires_at: tokenExpiresAt.toISOString() } };
}

/** POST /api/v1/portal_sessions/{id}/revoke: ends the link or the session at once; twice is harmless. */
export async function revokePortalSession(input: { workspaceId: string; id: string }): Promise<ApiResult<PortalSessionRevokedBody>> {
  const session = await db.portalSession.findFirst({
    where: { id: input.id, workspaceId: input.workspaceId },
    select: { id: true, revokedAt: true },
  });
  if (!session)
    throw new AppError("not_found", "No portal session with this id in this workspace.", {
      nextStep: "Use the id POST /api/v1/portal_sessions answered.",
    });
  const replay = (at: Date) => ({
    status: 200,
    body: { id: session.id, status: "revoked" as const, revoked_at: at.toISOString(), replayed: true },
  });
  if (session.revokedAt) return replay(session.revokedAt);
  const at = now();
  // Of two racing revocations one updates the row; the other answers what it wrote.
  const updated = await db.portalSession.updateMany({ where: { id: session.id, revokedAt: null }, data: { revokedAt: at } });
  if (updated.count === 0) {
    const again = await db.portalSession.findUniqueOrThrow({ where: { id: session.id }, select: { revokedAt: true } });
    return replay(again.revokedAt ?? at);
  }
  await auditPortal("portal_session.revoke", session.id, { workspace_id: input.workspaceId });
  return { status: 200, body: { id: session.id, status: "revoked", revoked_at: at.toISOString(), replayed: false } };
}

/** What a page of an open session shows and may do. */
export type PortalView = {
  sessionId: string;
  workspaceId: string;
  workspaceName: string;
  role: PortalRole;
  userName: string | null;
  userEmail: string;
  returnUrl: string | null;
  /** How the pages name the AI product: product_name, else return_url's host, else null. */
  productName: string | null;
  expiresAt: Date;
  allowedOrigins: string[];
};

export type RefusalReason = "unknown" | "used" | "expired" | "revoked";
export type OpenOutcome =
  | { ok: true; secret: string; view: PortalView }
  | { ok: false; reason: RefusalReason; productName: string | null; returnUrl: string | null; allowedOrigins: string[] };

const viewSelect = {
  id: true,
  workspaceId: true,
  role: true,
  userName: true,
  userEmail: true,
  returnUrl: true,
  productName: true,
  tokenExpiresAt: true,
  openedAt: true,
  expiresAt: true,
  revokedAt: true,
  workspace: { select: { name: true } },
  apiClient: { select: { allowedOrigins: true, revokedAt: true } },
} as const;

/** How the pages name the AI product: the product_name it gave, else its return_url's host. */
export function productNameOf(row: { productName: string | null; returnUrl: string | null }): string | null {
  if (row.productName) return row.productName;
  if (!row.returnUrl) return null;
  try {
    return new URL(row.returnUrl).host;
  } catch {
    return null;
  }
}

function viewOf(
  row: {
    id: string;
    workspaceId: string;
    role: PortalRole;
    userName: string | null;
    userEmail: string;
    returnUrl: string | null;
    productName: string | null;
    workspace: { name: string };
    apiClient: { allowedOrigins: string[] };
  },
  expiresAt: Date,
): PortalView {
  return {
    sessionId: row.id,
    workspaceId: row.workspaceId,
    workspaceName: row.workspace.name,
    role: row.role,
    userName: row.userName,
    userEmail: row.userEmail,
    returnUrl: row.returnUrl,
    productName: productNameOf(row),
    expiresAt,
    allowedOrigins: row.apiClient.allowedOrigins,
  };
}

/**
 * Opens a link (GET /portal/{token} or /embed/{token}): the first call consumes its token — atomically,
 * so of two racing opens exactly one wins — and returns the session's secret, handed to that page only.
 * Reused, expired or revoked links are refused (a reuse is audited), as is a link whose key was revoked.
 */
export async function openPortalSession(token: string, surface: "portal" | "embed"): Promise<OpenOutcome> {
  const refused = (
    reason: RefusalReason,
    row?: { productName: string | null; returnUrl: string | null; apiClient: { allowedOrigins: string[] } },
  ): OpenOutcome => ({
    ok: false,
    reason,
    productName: row ? productNameOf(row) : null,
    returnUrl: row?.returnUrl ?? null,
    allowedOrigins: row?.apiClient.allowedOrigins ?? [],
  });
  if (!SECRET_PATTERN.test(token)) return refused("unknown");
  const row = await db.portalSession.findUnique({ where: { tokenHash: hashSecret(token) }, select: viewSelect });
  if (!row) return refused("unknown");
  if (row.revokedAt || row.apiClient.revokedAt) return refused("revoked", row);
  if (row.openedAt) {
    await auditPortal("portal_session.reuse_refused", row.id, { workspace_id: row.workspaceId, surface });
    return refused("used", row);
  }
  const at = now();
  if (row.tokenExpiresAt <= at) return refused("expired", row);
  const secret = newSecret();
  const expiresAt = new Date(at.getTime() + SESSION_TTL_MS);
  const claimed = await db.portalSession.updateMany({
    where: { id: row.id, openedAt: null, revokedAt: null, tokenExpiresAt: { gt: at } },
    data: { openedAt: at, secretHash: hashSecret(secret), expiresAt },
  });
  if (claimed.count === 0) {
    await auditPortal("portal_session.reuse_refused", row.id, { workspace_id: row.workspaceId, surface });
    return refused("used", row);
  }
  await auditPortal("portal_session.open", row.id, { workspace_id: row.workspaceId, surface });
  return { ok: true, secret, view: viewOf(row, expiresAt) };
}

/** The open session of a page's secret, or null when there is none (expired, revoked, never opened). */
export async function sessionBySecret(secret: string | null): Promise<PortalView | null> {
  if (!secret || !SECRET_PATTERN.test(secret)) return null;
  const row = await db.portalSession.findUnique({ where: { secretHash: hashSecret(secret) }, select: viewSelect });
  if (!row || !row.expiresAt || row.revokedAt || row.apiClient.revokedAt || row.expiresAt <= now()) return null;
  return viewOf(row, row.expiresAt);
}

/** The error the portal's routes answer when the session is over: the page then says "ask <product> to reopen". */
export function sessionExpired(): AppError {
  return new AppError("unauthenticated", "This billing session has ended.", {
    nextStep: "Reopen billing from the product you came from.",
    details: { reason: "session_expired" },
  });
}

/** Only owners buy (docs/design.md "Model"); members and viewers are refused here as on the page. */
export function assertMayBuy(view: PortalView): void {
  if (view.role !== "OWNER")
    throw new AppError("forbidden", "Only the workspace's owners can buy credits or change the plan.", {
      nextStep: "Ask an owner of the workspace.",
    });
}
