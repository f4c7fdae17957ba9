import "server-only";
import { db } from "@/lib/db";
import { readPage } from "@/lib/admin/paging";

/** The audit log for operators: every price change, grant and adjustment, newest first. */

export type AuditRow = {
  id: string;
  at: Date;
  actor: string | null;
  action: string;
  target: { type: string; id: string; label: string | null };
  reason: string | null;
  data: unknown;
};

/** A target's name where one is known: a workspace's name, a sales lead's company (recorded with the entry). */
function targetLabel(e: { targetType: string; targetId: string; data: unknown }, workspaceOf: Map<string, string>): string | null {
  if (e.targetType === "workspace") return workspaceOf.get(e.targetId) ?? null;
  if (e.targetType === "sales_lead") {
    const company = (e.data as { company?: unknown } | null)?.company;
    return typeof company === "string" ? company : null;
  }
  return null;
}

export async function auditPage(input: { page?: number }): Promise<{ rows: AuditRow[]; total: number; page: number; pages: number }> {
  // The createdAt index serves the order; the id breaks ties so pages never overlap.
  const { rows: entries, ...at } = await readPage(input.page, await db.auditLog.count(), (window) =>
    db.auditLog.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...window }),
  );
  const actorIds = [...new Set(entries.map((e) => e.actorUserId).filter((id): id is string => id !== null))];
  const workspaceIds = [...new Set(entries.filter((e) => e.targetType === "workspace").map((e) => e.targetId))];
  const [actors, workspaces] = await Promise.all([
    db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, email: true } }),
    db.workspace.findMany({ where: { id: { in: workspaceIds } }, select: { id: true, name: true } }),
  ]);
  const actorOf = new Map(actors.map((u) => [u.id, u.email]));
  const workspaceOf = new Map(workspaces.map((w) => [w.id, w.name]));
  return {
    ...at,
    rows: entries.map((e) => ({
      id: e.id,
      at: e.createdAt,
      actor: e.actorUserId ? (actorOf.get(e.actorUserId) ?? e.actorUserId) : null,
      action: e.action,
      target: { type: e.targetType, id: e.targetId, label: targetLabel(e, workspaceOf) },
      reason: e.reason,
      data: e.data,
    })),
  };
}
