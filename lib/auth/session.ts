import "server-only";
import { getServerSession } from "next-auth";
import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { db } from "@/lib/db";
import { AppError, errorResponse } from "@/lib/errors";
import { authOptions } from "@/lib/auth/options";
import { env } from "@/lib/env";
import type { Role } from "@/lib/generated/prisma/client";
import { safeRedirectPath } from "@/lib/auth/redirects";
import { sessionStands, type SessionClaims } from "@/lib/auth/session-revocation";
import { RENDERED_WORKSPACE_FIELD, RENDERED_WORKSPACE_HEADER } from "@/lib/auth/rendered-workspace";

/**
 * The one place session callers are authenticated and authorized. Pages and server actions call
 * `requireWorkspace()` (the operator console: `requireAdmin()`); route handlers are wrapped in
 * `withSession()` (`withAdmin()`). Nothing checks sessions by hand.
 */
export const WORKSPACE_COOKIE = "cb_workspace";

export type SessionUser = { id: string; email: string; name: string | null; isAdmin: boolean };
export type WorkspaceContext = {
  user: SessionUser;
  workspace: { id: string; name: string };
  role: Role;
};

/**
 * The user behind a session's claims, or null when the session no longer counts: the account was
 * deleted, the session was signed out, or it ended with all the user's sessions (a password reset,
 * "sign out everywhere"), or it outlived its absolute lifetime (lib/auth/session-revocation.ts). One
 * read per request, no write: both take effect at once whatever the JWT cookie says.
 */
export async function userForSession(claims: SessionClaims | null | undefined): Promise<SessionUser | null> {
  if (!claims?.uid) return null;
  const rows = await db.$queryRaw<
    { id: string; email: string; name: string | null; isAdmin: boolean; deletedAt: Date | null; sessionVersion: number; revoked: boolean }[]
  >`
    SELECT u.id, u.email, u.name, u."isAdmin", u."deletedAt", u."sessionVersion",
           EXISTS (SELECT 1 FROM "RevokedSession" r WHERE r.sid = ${claims.sid ?? ""}) AS revoked
    FROM "User" u WHERE u.id = ${claims.uid}`;
  const user = rows[0];
  if (!user || user.deletedAt) return null;
  if (!sessionStands(claims, user, user.revoked)) return null;
  return { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin };
}

/** The claims of this request's session cookie (null without one). */
async function sessionClaims(): Promise<SessionClaims | null> {
  const session = await getServerSession(authOptions());
  return session?.user?.claims ?? null;
}

export async function getSessionUser(): Promise<SessionUser | null> {
  return userForSession(await sessionClaims());
}

/**
 * The signed-in user's current workspace: the one named by the workspace cookie if they are a
 * member of it, else their oldest owned (personal) workspace.
 */
async function resolveWorkspace(user: SessionUser, role?: Role, renderedFor?: string | null): Promise<WorkspaceContext> {
  const wanted = (await cookies()).get(WORKSPACE_COOKIE)?.value;
  const memberships = await db.membership.findMany({
    where: { userId: user.id },
    select: { role: true, workspace: { select: { id: true, name: true } } },
    orderBy: [{ role: "asc" }, { createdAt: "asc" }],
  });
  const membership = memberships.find((m) => m.workspace.id === wanted) ?? memberships[0];
  if (!membership) throw new AppError("forbidden", "You are not a member of any workspace.");
  if (renderedFor && renderedFor !== membership.workspace.id) {
    throw new AppError(
      "workspace_changed",
      `This page was for another workspace: ${membership.workspace.name} is now current (switched in another tab). Nothing was changed; reload the page.`,
      {
        nextStep: "Reload the page and try again.",
        details: { current_workspace_id: membership.workspace.id },
      },
    );
  }
  if (role === "OWNER" && membership.role !== "OWNER") {
    throw new AppError("forbidden", "Only workspace owners can do this.", { nextStep: "Ask an owner of this workspace." });
  }
  return { user, workspace: membership.workspace, role: membership.role };
}

/** The sign-in page, coming back to `returnTo` afterwards when it is a path of this app. */
function loginUrl(returnTo: string | null | undefined): string {
  const back = safeRedirectPath(returnTo, "");
  return back ? `/login?callbackUrl=${encodeURIComponent(back)}` : "/login";
}

/**
 * For pages and server actions: redirects to /login (and back here after sign-in) without a session.
 * Server actions pass their form as `renderedFor` (see RENDERED_WORKSPACE_FIELD).
 */
export async function requireWorkspace(
  options: { role?: Role; returnTo?: string; renderedFor?: FormData } = {},
): Promise<WorkspaceContext> {
  const user = await getSessionUser();
  if (!user) {
    const returnTo = options.returnTo ?? (await headers()).get("x-pathname");
    redirect(loginUrl(returnTo));
  }
  const rendered = options.renderedFor?.get(RENDERED_WORKSPACE_FIELD);
  return resolveWorkspace(user, options.role, typeof rendered === "string" ? rendered : null);
}

/**
 * For public pages and actions that do more for a signed-in visitor (the Contact sales form prefills and
 * names the workspace): the user and their current workspace, or null — never a redirect. Grants nothing.
 */
export async function optionalWorkspace(): Promise<WorkspaceContext | null> {
  const user = await getSessionUser();
  if (!user) return null;
  try {
    return await resolveWorkspace(user);
  } catch (err) {
    if (err instanceof AppError && err.code === "forbidden") return null; // a user without any workspace
    throw err;
  }
}

/**
 * Makes `workspaceId` the current workspace of this browser (the workspace cookie), after checking the
 * signed-in user is a member of it: every page and /api/workspace call is then scoped to it. For server
 * actions (the header's switcher, accepting an invitation).
 */
export async function switchWorkspace(workspaceId: string): Promise<WorkspaceContext> {
  const user = await getSessionUser();
  if (!user) throw new AppError("unauthenticated", "Sign in to continue.", { nextStep: "Sign in at /login." });
  const membership = await db.membership.findUnique({
    where: { userId_workspaceId: { userId: user.id, workspaceId } },
    select: { role: true, workspace: { select: { id: true, name: true } } },
  });
  if (!membership) throw new AppError("forbidden", "You are not a member of that workspace.");
  (await cookies()).set(WORKSPACE_COOKIE, workspaceId, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: env.NEXTAUTH_URL.startsWith("https://"),
    maxAge: 60 * 60 * 24 * 365,
  });
  return { user, workspace: membership.workspace, role: membership.role };
}

type RouteContext<P> = { params: Promise<P> };

/** For route handlers: 401/403 in the JSON error shape, and any AppError mapped to its status. */
export function withSession<P = Record<string, string>>(
  handler: (req: Request, ctx: WorkspaceContext & { params: P }) => Promise<Response>,
  options: { role?: Role } = {},
) {
  return async (req: Request, routeCtx: RouteContext<P>): Promise<Response> => {
    try {
      const user = await getSessionUser();
      if (!user) throw new AppError("unauthenticated", "Sign in to continue.", { nextStep: "Sign in at /login." });
      const ctx = await resolveWorkspace(user, options.role, req.headers.get(RENDERED_WORKSPACE_HEADER));
      return await handler(req, { ...ctx, params: await routeCtx.params });
    } catch (err) {
      return errorResponse(err);
    }
  };
}

// ───────────────────────────── the operator console ─────────────────────────────
//
// Platform operators are users with isAdmin, read from the database on every request, so revoking the
// flag takes effect at once whatever the session cookie says. Anyone else is told the console does not
// exist: a 404, the same answer as for any unknown path, rather than a 403 that would confirm there is
// something here worth attacking. Without a session, pages go to the sign-in page (as every portal page
// does) and routes answer 401.

export type AdminDecision = { ok: true; user: SessionUser } | { ok: false; reason: "anonymous" | "not_admin" };

/** The admin guard's decision for the user behind a session (its user id; null without a session). */
export async function adminDecision(claims: SessionClaims | null | undefined): Promise<AdminDecision> {
  const user = await userForSession(claims);
  if (!user) return { ok: false, reason: "anonymous" };
  if (!user.isAdmin) return { ok: false, reason: "not_admin" };
  return { ok: true, user };
}

// Once per request: the layout, the page and their metadata all ask.
const sessionAdminDecision = cache(async (): Promise<AdminDecision> => adminDecision(await sessionClaims()));

/** The operator behind this request, or null (anyone else): for what may only differ for operators, like page titles. */
export async function currentAdmin(): Promise<SessionUser | null> {
  const decision = await sessionAdminDecision();
  return decision.ok ? decision.user : null;
}

/** For /admin pages and admin server actions: the operator; else /login (no session) or the 404 page. */
export async function requireAdmin(options: { returnTo?: string } = {}): Promise<SessionUser> {
  const decision = await sessionAdminDecision();
  if (decision.ok) return decision.user;
  if (decision.reason === "not_admin") notFound();
  const returnTo = options.returnTo ?? (await headers()).get("x-pathname");
  redirect(loginUrl(returnTo));
}

/** For admin route handlers: 401 without a session, 404 `not_found` for non-admins, AppErrors mapped. */
export function withAdmin<P = Record<string, string>>(handler: (req: Request, ctx: { user: SessionUser; params: P }) => Promise<Response>) {
  return async (req: Request, routeCtx: RouteContext<P>): Promise<Response> => {
    try {
      const decision = await sessionAdminDecision();
      if (!decision.ok && decision.reason === "anonymous") {
        throw new AppError("unauthenticated", "Sign in to continue.", { nextStep: "Sign in at /login." });
      }
      if (!decision.ok) throw new AppError("not_found", "Not found.");
      return await handler(req, { user: decision.user, params: await routeCtx.params });
    } catch (err) {
      return errorResponse(err);
    }
  };
}
