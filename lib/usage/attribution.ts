import "server-only";
import { db } from "@/lib/db";
import type { ActionCategory, ApiClientKind, Prisma } from "@/lib/generated/prisma/client";
import type { UsageGroup } from "@/lib/usage/search";
import { usageWhere, type UsageFilters } from "@/lib/usage/query";

/**
 * Who caused a workspace's usage: each event records the member (UsageEvent.userId) or the API key
 * (UsageEvent.apiClientId) behind it. The usage history filters by either, and its breakdown sums the
 * events matching the filters by category and by member / key.
 */

export type AttributedMember = { userId: string; email: string; name: string | null; current: boolean };
export type AttributedKey = { id: string; name: string; prefix: string; kind: ApiClientKind; revoked: boolean };
export type Attribution = { members: AttributedMember[]; keys: AttributedKey[] };

/**
 * The people and keys the filters may name: the workspace's members and keys, plus former members
 * and platform keys that have events here (each found by the (workspaceId, userId / apiClientId,
 * createdAt) indexes: one probe per platform key, and the few user-caused events).
 */
export async function usageAttribution(workspaceId: string): Promise<Attribution> {
  const [memberships, formerIds, ownKeys, platformKeys] = await Promise.all([
    db.membership.findMany({ where: { workspaceId }, select: { user: { select: { id: true, email: true, name: true } } } }),
    db.$queryRaw<
      { userId: string }[]
    >`SELECT DISTINCT "userId" FROM "UsageEvent" WHERE "workspaceId" = ${workspaceId} AND "userId" IS NOT NULL`,
    db.apiClient.findMany({
      where: { workspaceId },
      select: { id: true, name: true, prefix: true, kind: true, revokedAt: true },
      orderBy: { createdAt: "asc" },
    }),
    db.apiClient.findMany({
      where: { kind: "PLATFORM", events: { some: { workspaceId } } },
      select: { id: true, name: true, prefix: true, kind: true, revokedAt: true },
      orderBy: { createdAt: "asc" },
    }),
  ]);
  const current = new Set(memberships.map((m) => m.user.id));
  const former = formerIds.map((r) => r.userId).filter((id) => !current.has(id));
  const formerUsers =
    former.length > 0 ? await db.user.findMany({ where: { id: { in: former } }, select: { id: true, email: true, name: true } }) : [];
  const members: AttributedMember[] = [
    ...memberships.map((m) => ({ userId: m.user.id, email: m.user.email, name: m.user.name, current: true })),
    ...formerUsers.map((u) => ({ userId: u.id, email: u.email, name: u.name, current: false })),
  ].sort((a, b) => a.email.localeCompare(b.email));
  const keys = [...ownKeys, ...platformKeys].map((k) => ({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    kind: k.kind,
    revoked: k.revokedAt !== null,
  }));
  return { members, keys };
}

export function attributionIds(a: Attribution) {
  return { members: a.members.map((m) => m.userId), keys: a.keys.map((k) => k.id) };
}

/** "Production backend (cb_live_ab12…)"; "jane@example.com". */
export function keyLabel(key: Pick<AttributedKey, "name" | "prefix" | "kind">): string {
  return `${key.kind === "PLATFORM" ? "Platform key " : ""}${key.name} (${key.prefix})`;
}

export type ActorTotals = { userId: string | null; apiClientId: string | null; events: number; credits: number };
export type CategoryTotals = { category: ActionCategory; events: number; credits: number };
/** One group of a chosen grouping: an action key, a member's user id or an API key's id (null: none). */
export type GroupTotals = { id: string | null; events: number; credits: number };
export type UsageBreakdown = { byActor: ActorTotals[]; byCategory: CategoryTotals[]; events: number; credits: number };

type GroupField = "userId" | "apiClientId" | "category" | "actionKey";
const GROUP_FIELDS = { action: "actionKey", member: "userId", key: "apiClientId" } as const satisfies Record<UsageGroup, GroupField>;

/**
 * The events matching `where` summed by the given columns: how many events, and the credits charged
 * (completed events; held, queued, released, refunded and rejected ones charged nothing that stayed).
 * Two grouped queries, most charged first.
 */
type Grouped = Partial<Record<GroupField, string | null>> & { events: number; credits: number };

async function totalsBy(by: GroupField[], where: Prisma.UsageEventWhereInput): Promise<Grouped[]> {
  type Row = Partial<Record<GroupField, string | null>> & { _count?: { _all: number }; _sum?: { credits: number | null } };
  const [all, charged] = (await Promise.all([
    db.usageEvent.groupBy({ by, where, _count: { _all: true } }),
    db.usageEvent.groupBy({ by, where: { AND: [where, { status: "COMPLETED" }] }, _sum: { credits: true } }),
  ])) as unknown as [Row[], Row[]];
  const key = (r: Row) => by.map((f) => r[f] ?? "").join("|");
  const credits = new Map(charged.map((r) => [key(r), r._sum?.credits ?? 0]));
  // Most charged first; ties in a stable order (by the grouping's values), so a page reads the same each time.
  return all
    .map((r) => ({
      row: { ...Object.fromEntries(by.map((f) => [f, r[f] ?? null])), events: r._count?._all ?? 0, credits: credits.get(key(r)) ?? 0 },
      key: key(r),
    }))
    .sort((a, b) => b.row.credits - a.row.credits || b.row.events - a.row.events || a.key.localeCompare(b.key))
    .map((r) => r.row);
}

/** The events matching the filters, summed by who caused them and by category. */
export async function usageBreakdown(workspaceId: string, filters: UsageFilters): Promise<UsageBreakdown> {
  const where = usageWhere(workspaceId, filters);
  const [actors, categories] = await Promise.all([totalsBy(["userId", "apiClientId"], where), totalsBy(["category"], where)]);
  const byActor = actors.map((r) => ({
    userId: r.userId ?? null,
    apiClientId: r.apiClientId ?? null,
    events: r.events,
    credits: r.credits,
  }));
  return {
    byActor,
    byCategory: categories.map((r) => ({ category: r.category as ActionCategory, events: r.events, credits: r.credits })),
    events: byActor.reduce((s, r) => s + r.events, 0),
    credits: byActor.reduce((s, r) => s + r.credits, 0),
  };
}

/** The events matching the filters, summed by action key, by member or by API key (lib/usage/search.ts group). */
export async function usageByGroup(workspaceId: string, filters: UsageFilters, group: UsageGroup): Promise<GroupTotals[]> {
  const field = GROUP_FIELDS[group];
  const rows = await totalsBy([field], usageWhere(workspaceId, filters));
  return rows.map((r) => ({ id: r[field] ?? null, events: r.events, credits: r.credits }));
}
