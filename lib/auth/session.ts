import { getServerSession } from "next-auth";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { db } from "@/lib/db";
import { AppError, errorResponse } from "@/lib/errors";
import { authOptions } from "@/lib/auth/options";
import type { Role } from "@/lib/generated/prisma/client";

/**
 * The one place session callers are authenticated and authorized. Pages and server actions call
 * `requireWorkspace()`; route handlers are wrapped in `withSession()`. Nothing checks sessions by hand.
 */
export const WORKSPACE_COOKIE = "cb_workspace";

export type SessionUser = { id: string; email: string; name: string | null; isAdmin: boolean };
export type WorkspaceContext = {
  user: SessionUser;
  workspace: { id: string; name: string };
  role: Role;
};

export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions());
  const id = session?.user?.id;
  if (!id) return null;
  return db.user.findUnique({ where: { id }, select: { id: true, email: true, name: true, isAdmin: true } });
}

/**
 * The signed-in user's current workspace: the one named by the workspace cookie if they are a
 * member of it, else their oldest owned (personal) workspace.
 */
async function resolveWorkspace(user: SessionUser, role?: Role): Promise<WorkspaceContext> {
  const wanted = (await cookies()).get(WORKSPACE_COOKIE)?.value;
  const memberships = await db.membership.findMany({
    where: { userId: user.id },
    select: { role: true, workspace: { select: { id: true, name: true } } },
    orderBy: [{ role: "asc" }, { createdAt: "asc" }],
  });
  const membership = memberships.find((m) => m.workspace.id === wanted) ?? memberships[0];
  if (!membership) throw new AppError("forbidden", "You are not a member of any workspace.");
  if (role === "OWNER" && membership.role !== "OWNER") {
    throw new AppError("forbidden", "Only workspace owners can do this.", { nextStep: "Ask an owner of this workspace." });
  }
  return { user, workspace: membership.workspace, role: membership.role };
}

/** For pages and server actions: redirects to /login (and back here after sign-in) without a session. */
export async function requireWorkspace(options: { role?: Role; returnTo?: string } = {}): Promise<WorkspaceContext> {
  const user = await getSessionUser();
  if (!user) {
    const returnTo = options.returnTo ?? (await headers()).get("x-pathname");
    redirect(`/login${returnTo ? `?callbackUrl=${encodeURIComponent(returnTo)}` : ""}`);
  }
  return resolveWorkspace(user, options.role);
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
      const ctx = await resolveWorkspace(user, options.role);
      return await handler(req, { ...ctx, params: await routeCtx.params });
    } catch (err) {
      return errorResponse(err);
    }
  };
}
