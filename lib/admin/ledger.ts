import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import type { GrantType, LedgerKind, Prisma } from "@/lib/generated/prisma/client";

/**
 * The operator's ledger explorer: entries across every workspace, newest first, filtered by workspace,
 * kind, time, usage event, grant or outside (Stripe) object. Pages by a (createdAt, id) cursor, so every
 * filter walks an index: (workspaceId, createdAt) for a workspace — a grant or event filter adds its
 * workspace — (usageEventId) for an event, the partial (reference) index for a Stripe object.
 */

export const LEDGER_KINDS = [
  "GRANT",
  "DEBIT",
  "HOLD",
  "RELEASE",
  "REFUND",
  "EXPIRY",
  "ADJUSTMENT",
  "UNMETERED",
  "CLAWBACK",
  "FREEZE",
  "UNFREEZE",
] as const satisfies readonly LedgerKind[];

export type LedgerRow = {
  id: string;
  at: Date;
  workspace: { id: string; name: string };
  kind: LedgerKind;
  amount: number;
  grant: { id: string; type: GrantType } | null;
  event: { id: string; key: string; version: number; quantity: number } | null;
  actor: string | null;
  reason: string | null;
  reference: string | null;
};

const day = z.iso.date().transform((d) => new Date(`${d}T00:00:00Z`));
const filterSchema = z.object({
  workspace: z.string().trim().max(100).optional(),
  kind: z.enum(LEDGER_KINDS).optional(),
  from: day.optional(),
  to: day.optional(),
  event: z.string().trim().max(100).optional(),
  grant: z.string().trim().max(100).optional(),
  reference: z.string().trim().max(255).optional(),
  before: z
    .string()
    .regex(/^\d{13}_\d+$/)
    .optional(),
});
export type LedgerFilter = z.output<typeof filterSchema>;

/** The filters from a query string: anything malformed is dropped (a hand-edited URL shows everything rather than failing). */
export function parseLedgerFilter(query: Record<string, string | string[] | undefined>): LedgerFilter {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(filterSchema.shape) as (keyof typeof filterSchema.shape)[]) {
    const raw = query[key];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (!value) continue;
    const parsed = filterSchema.shape[key].safeParse(value);
    if (parsed.success) out[key] = parsed.data;
  }
  return out as LedgerFilter;
}

export const cursorOf = (row: Pick<LedgerRow, "at" | "id">) => `${row.at.getTime()}_${row.id}`;

export async function ledgerPage(filter: LedgerFilter, take = 50): Promise<{ rows: LedgerRow[]; next: string | null }> {
  // A grant or an event belongs to one workspace: filtering on it too keeps the scan on that workspace's index.
  const [grant, event] = await Promise.all([
    filter.grant ? db.creditGrant.findUnique({ where: { id: filter.grant }, select: { workspaceId: true } }) : null,
    filter.event ? db.usageEvent.findUnique({ where: { id: filter.event }, select: { workspaceId: true } }) : null,
  ]);
  if ((filter.grant && !grant) || (filter.event && !event)) return { rows: [], next: null };
  const workspaceIds = [filter.workspace, grant?.workspaceId, event?.workspaceId].filter((w): w is string => Boolean(w));
  if (new Set(workspaceIds).size > 1) return { rows: [], next: null };

  const and: Prisma.LedgerEntryWhereInput[] = [];
  if (workspaceIds[0]) and.push({ workspaceId: workspaceIds[0] });
  if (filter.kind) and.push({ kind: filter.kind });
  if (filter.from) and.push({ createdAt: { gte: filter.from } });
  if (filter.to) and.push({ createdAt: { lt: new Date(filter.to.getTime() + 86_400_000) } });
  if (filter.grant) and.push({ grantId: filter.grant });
  if (filter.event) and.push({ usageEventId: filter.event });
  if (filter.reference) and.push({ reference: filter.reference });
  if (filter.before) {
    const [ms, id] = filter.before.split("_") as [string, string];
    const at = new Date(Number(ms));
    and.push({ OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: BigInt(id) } }] });
  }

  const entries = await db.ledgerEntry.findMany({
    where: { AND: and },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
    select: {
      id: true,
      createdAt: true,
      kind: true,
      amount: true,
      actorUserId: true,
      apiClientId: true,
      reason: true,
      reference: true,
      workspace: { select: { id: true, name: true } },
      grant: { select: { id: true, type: true } },
      usageEvent: { select: { id: true, actionKey: true, quantity: true, price: { select: { version: true } } } },
    },
  });
  const page = entries.slice(0, take);
  const userIds = [...new Set(page.map((e) => e.actorUserId).filter((id): id is string => id !== null))];
  const clientIds = [...new Set(page.map((e) => e.apiClientId).filter((id): id is string => id !== null))];
  const [users, clients] = await Promise.all([
    db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }),
    db.apiClient.findMany({ where: { id: { in: clientIds } }, select: { id: true, name: true, prefix: true } }),
  ]);
  const userOf = new Map(users.map((u) => [u.id, u.email]));
  const clientOf = new Map(clients.map((c) => [c.id, `${c.name} (${c.prefix}…)`]));
  const rows = page.map((e) => ({
    id: String(e.id),
    at: e.createdAt,
    workspace: e.workspace,
    kind: e.kind,
    amount: e.amount,
    grant: e.grant,
    event: e.usageEvent
      ? { id: e.usageEvent.id, key: e.usageEvent.actionKey, version: e.usageEvent.price.version, quantity: e.usageEvent.quantity }
      : null,
    actor: (e.actorUserId ? userOf.get(e.actorUserId) : undefined) ?? (e.apiClientId ? clientOf.get(e.apiClientId) : undefined) ?? null,
    reason: e.reason,
    reference: e.reference,
  }));
  const last = rows.at(-1);
  return { rows, next: entries.length > take && last ? cursorOf(last) : null };
}

/** What the explorer is narrowed to, shown above the table: the usage event or the grant, each with its workspace. */
export async function ledgerSubject(filter: LedgerFilter) {
  const workspace = { select: { id: true, name: true } };
  const [event, grant] = await Promise.all([
    filter.event
      ? db.usageEvent.findUnique({ where: { id: filter.event }, include: { price: { select: { version: true } }, workspace } })
      : null,
    filter.grant ? db.creditGrant.findUnique({ where: { id: filter.grant }, include: { workspace } }) : null,
  ]);
  return { event, grant };
}
