import "server-only";
import type { Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/client";

/**
 * Every change to a workspace's team (invite, accept, change a role, remove, leave) runs under a row
 * lock on the Workspace (SELECT … FOR UPDATE), so two of them in one workspace run one after the other:
 * the seat count and the "at least one owner" rule are read and kept in the same critical section.
 * The ledger never takes this row lock (it uses an advisory lock, lib/credits/ledger.ts), so debits do
 * not wait for team changes. A plan change updates the row, so it waits for (and is seen by) them too.
 */
export async function lockTeam(tx: Tx, workspaceId: string): Promise<{ planId: string; name: string }> {
  const rows = await tx.$queryRaw<{ planId: string; name: string }[]>`
    SELECT "planId", name FROM "Workspace" WHERE id = ${workspaceId} FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new AppError("not_found", "No such workspace.");
  return row;
}

/** The actor's role in the workspace, read under the team lock (a role just taken away counts). */
export async function requireRole(tx: Tx, workspaceId: string, userId: string, role?: Role): Promise<Role> {
  const membership = await tx.membership.findUnique({ where: { userId_workspaceId: { userId, workspaceId } }, select: { role: true } });
  if (!membership) throw new AppError("forbidden", "You are not a member of this workspace.");
  if (role === "OWNER" && membership.role !== "OWNER") {
    throw new AppError("forbidden", "Only workspace owners can manage members.", { nextStep: "Ask an owner of this workspace." });
  }
  return membership.role;
}

export async function ownerCount(tx: Tx, workspaceId: string): Promise<number> {
  return tx.membership.count({ where: { workspaceId, role: "OWNER" } });
}
