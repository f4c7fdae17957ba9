import "server-only";
import { db } from "@/lib/db";
import { readPage } from "@/lib/admin/paging";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { LeadContent } from "@/lib/sales/lead";

/** The operator console's sales leads (lib/sales/leads.ts stores them): newest first, and marking one handled (audited). */

export const SALES_LEAD_FILTERS = ["all", "open", "handled"] as const;
export type SalesLeadFilter = (typeof SALES_LEAD_FILTERS)[number];

export type SalesLeadRow = LeadContent & {
  id: string;
  plan: string | null;
  source: string | null;
  workspace: { id: string; name: string } | null;
  createdAt: Date;
  handled: { at: Date; by: string | null } | null;
};

const WHERE: Record<SalesLeadFilter, Prisma.SalesLeadWhereInput> = {
  all: {},
  open: { handledAt: null },
  handled: { handledAt: { not: null } },
};

/** Leads nobody has marked handled yet (the overview's figure; the handledAt index serves it). */
export function countOpenSalesLeads(): Promise<number> {
  return db.salesLead.count({ where: WHERE.open });
}

export async function salesLeadPage(input: { filter?: SalesLeadFilter; page?: number }) {
  const where = WHERE[input.filter ?? "all"];
  const [total, open] = await Promise.all([db.salesLead.count({ where }), countOpenSalesLeads()]);
  // The createdAt index serves the order; the id breaks ties so pages never overlap.
  const { rows: leads, ...at } = await readPage(input.page, total, (window) =>
    db.salesLead.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...window }),
  );
  const ids = <K extends "workspaceId" | "handledById" | "planId">(key: K) => [
    ...new Set(leads.map((l) => l[key]).filter((v): v is string => v !== null)),
  ];
  const [workspaces, operators, plans] = await Promise.all([
    db.workspace.findMany({ where: { id: { in: ids("workspaceId") } }, select: { id: true, name: true } }),
    db.user.findMany({ where: { id: { in: ids("handledById") } }, select: { id: true, email: true } }),
    db.plan.findMany({ where: { id: { in: ids("planId") } }, select: { id: true, name: true } }),
  ]);
  const workspaceOf = new Map(workspaces.map((w) => [w.id, w]));
  const operatorOf = new Map(operators.map((u) => [u.id, u.email]));
  const planOf = new Map(plans.map((p) => [p.id, p.name]));
  return {
    ...at,
    open,
    rows: leads.map((l): SalesLeadRow => ({
      id: l.id,
      name: l.name,
      email: l.email,
      company: l.company,
      expectedMonthlyCredits: l.expectedMonthlyCredits,
      message: l.message,
      plan: l.planId ? (planOf.get(l.planId) ?? l.planId) : null,
      source: l.source,
      // A workspace deleted since is named by its id.
      workspace: l.workspaceId ? (workspaceOf.get(l.workspaceId) ?? { id: l.workspaceId, name: l.workspaceId }) : null,
      createdAt: l.createdAt,
      handled: l.handledAt ? { at: l.handledAt, by: l.handledById ? (operatorOf.get(l.handledById) ?? l.handledById) : null } : null,
    })),
  };
}

/**
 * Marks a lead handled by `operatorId`, with an audit entry in the same transaction. Once: the UPDATE …
 * WHERE "handledAt" IS NULL claims it, so two operators clicking at once record one of them (the other
 * is told who did).
 */
export async function markSalesLeadHandled(id: string, operatorId: string): Promise<{ handledAt: Date }> {
  const at = now();
  return db.$transaction(async (tx) => {
    const claimed = await tx.salesLead.updateMany({ where: { id, handledAt: null }, data: { handledAt: at, handledById: operatorId } });
    const lead = await tx.salesLead.findUnique({ where: { id }, select: { email: true, company: true, handledById: true } });
    if (!lead) throw new AppError("not_found", "No such sales lead.");
    if (claimed.count === 0) {
      const by = lead.handledById ? await tx.user.findUnique({ where: { id: lead.handledById }, select: { email: true } }) : null;
      throw new AppError("conflict", `This lead was already marked handled${by ? ` by ${by.email}` : ""}.`);
    }
    await tx.auditLog.create({
      data: {
        actorUserId: operatorId,
        action: "sales_lead.handle",
        targetType: "sales_lead",
        targetId: id,
        reason: null,
        data: { email: lead.email, company: lead.company },
        createdAt: at,
      },
    });
    return { handledAt: at };
  });
}
