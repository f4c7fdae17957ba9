import "server-only";
import type { Db, Tx } from "@/lib/db";

export type InvariantReport = {
  violations: string[];
  /** Grants whose remaining left [0, amount]. */
  overdrafts: number;
  /** Events charged more than their cost (or charged twice). */
  doubleCharges: number;
};

/**
 * The ledger invariants of docs/design.md "Debits", checked from the database for some workspaces (or all):
 * - every grant's remaining is within [0, amount]                                    (overdrafts)
 * - per grant, remaining = Σ of its ledger entries; no entry outside a grant moves credits, so the
 *   balance = Σ remaining = the ledger replayed from zero
 * - every charged event has exactly one set of debit entries summing to its cost     (double charges)
 * - held credits = Σ credits of pending reservations; released/queued events hold nothing
 * - the usage rollups add up to the completed events
 * - every ledger entry's grant and event exist and belong to its workspace (the ledger has no FKs)
 * - what budgets count (BudgetSpend) is what the events say
 * - the ledger is append-only (its trigger is in place)
 */
export async function checkInvariants(client: Db | Tx, workspaceIds?: string[]): Promise<InvariantReport> {
  const all = workspaceIds === undefined;
  const ids = workspaceIds ?? [];
  const violations: string[] = [];

  const overdrafts = await client.$queryRaw<{ id: string; remaining: number; amount: number }[]>`
    SELECT id, remaining, amount FROM "CreditGrant"
     WHERE (${all} OR "workspaceId" = ANY(${ids}::text[])) AND (remaining < 0 OR remaining > amount)`;
  for (const g of overdrafts) violations.push(`overdraft: grant ${g.id} has ${g.remaining} of ${g.amount}`);

  const replay = await client.$queryRaw<{ id: string; remaining: number; replayed: bigint }[]>`
    SELECT g.id, g.remaining, coalesce(sum(e.amount), 0)::bigint AS replayed
      FROM "CreditGrant" g LEFT JOIN "LedgerEntry" e ON e."grantId" = g.id
     WHERE (${all} OR g."workspaceId" = ANY(${ids}::text[]))
     GROUP BY g.id HAVING g.remaining <> coalesce(sum(e.amount), 0)`;
  for (const g of replay) violations.push(`ledger: grant ${g.id} replays to ${g.replayed} but has ${g.remaining}`);

  const orphans = await client.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "LedgerEntry"
     WHERE (${all} OR "workspaceId" = ANY(${ids}::text[])) AND "grantId" IS NULL AND amount <> 0`;
  if ((orphans[0]?.n ?? 0) > 0) violations.push(`ledger: ${orphans[0]!.n} entries move credits outside any grant`);

  // The ledger's references (it has no foreign keys, see the ledger_without_fk_checks migration): every
  // entry's grant and event exist and belong to the entry's own workspace.
  const dangling = await client.$queryRaw<{ id: bigint; problem: string }[]>`
    SELECT e.id, CASE
             WHEN e."grantId" IS NOT NULL AND g.id IS NULL THEN 'its grant does not exist'
             WHEN g.id IS NOT NULL AND g."workspaceId" <> e."workspaceId" THEN 'its grant belongs to another workspace'
             WHEN e."usageEventId" IS NOT NULL AND ev.id IS NULL THEN 'its event does not exist'
             WHEN ev.id IS NOT NULL AND ev."workspaceId" <> e."workspaceId" THEN 'its event belongs to another workspace'
             ELSE 'its workspace does not exist' END AS problem
      FROM "LedgerEntry" e
      LEFT JOIN "CreditGrant" g ON g.id = e."grantId"
      LEFT JOIN "UsageEvent" ev ON ev.id = e."usageEventId"
      LEFT JOIN "Workspace" w ON w.id = e."workspaceId"
     WHERE (${all} OR e."workspaceId" = ANY(${ids}::text[]))
       AND ((e."grantId" IS NOT NULL AND (g.id IS NULL OR g."workspaceId" <> e."workspaceId"))
         OR (e."usageEventId" IS NOT NULL AND (ev.id IS NULL OR ev."workspaceId" <> e."workspaceId"))
         OR w.id IS NULL)
     LIMIT 100`;
  for (const d of dangling) violations.push(`ledger: entry ${d.id} — ${d.problem}`);

  // Per event, the net of each kind of entry, compared with what its status says it should be.
  const events = await client.$queryRaw<
    {
      id: string;
      status: string;
      credits: number;
      unmetered: boolean;
      debit: number;
      hold: number;
      refund: number;
      unmetered_entries: number;
    }[]
  >`
    SELECT ev.id, ev.status::text AS status, ev.credits, ev.unmetered,
           coalesce(-sum(e.amount) FILTER (WHERE e.kind = 'DEBIT'), 0)::int AS debit,
           coalesce(-sum(e.amount) FILTER (WHERE e.kind IN ('HOLD', 'RELEASE')), 0)::int AS hold,
           coalesce(sum(e.amount) FILTER (WHERE e.kind = 'REFUND'), 0)::int AS refund,
           count(e.id) FILTER (WHERE e.kind = 'UNMETERED')::int AS unmetered_entries
      FROM "UsageEvent" ev LEFT JOIN "LedgerEntry" e ON e."usageEventId" = ev.id
     WHERE (${all} OR ev."workspaceId" = ANY(${ids}::text[]))
     GROUP BY ev.id`;
  let doubleCharges = 0;
  for (const e of events) {
    const expected = e.unmetered
      ? { debit: 0, hold: 0, refund: 0 }
      : {
          debit: e.status === "COMPLETED" || e.status === "REFUNDED" ? e.credits : 0,
          hold: e.status === "PENDING" ? e.credits : 0,
          refund: e.status === "REFUNDED" ? e.credits : 0,
        };
    if (e.debit > expected.debit) doubleCharges++;
    if (e.debit !== expected.debit || e.hold !== expected.hold || e.refund !== expected.refund) {
      violations.push(`event ${e.id} (${e.status}, ${e.credits} credits): debit ${e.debit}, held ${e.hold}, refunded ${e.refund}`);
    }
    const charged = e.status === "COMPLETED" || e.status === "REFUNDED";
    if (e.unmetered && charged && e.unmetered_entries !== 1) violations.push(`event ${e.id}: ${e.unmetered_entries} unmetered entries`);
  }

  // Sums as text: an enterprise workspace's usage can pass 2^31.
  const rollups = await client.$queryRaw<{ workspaceId: string; rolled: string; events: string }[]>`
    SELECT w.id AS "workspaceId",
           coalesce((SELECT sum(r.credits) FROM "UsageRollup" r WHERE r."workspaceId" = w.id), 0)::text AS rolled,
           coalesce((SELECT sum(e.credits) FROM "UsageEvent" e WHERE e."workspaceId" = w.id AND e.status = 'COMPLETED'), 0)::text AS events
      FROM "Workspace" w
     WHERE (${all} OR w.id = ANY(${ids}::text[]))`;
  for (const r of rollups) {
    if (r.rolled !== r.events)
      violations.push(`rollup: workspace ${r.workspaceId} rolls up ${r.rolled} credits, its events charged ${r.events}`);
  }

  // Budgets (docs/decisions/018-budgets.md): what BudgetSpend counts per subject and day is what the
  // events say — completed, pending and queued ones, at their credits, on their own day.
  const budgetDrift = await client.$queryRaw<{ workspaceId: string; subject: string; day: string; counted: string; events: string }[]>`
    WITH truth AS (
      SELECT e."workspaceId", s.subject, e."createdAt"::date AS day, sum(e.credits) AS credits
        FROM "UsageEvent" e
       CROSS JOIN LATERAL unnest(ARRAY['workspace', 'key:' || e."apiClientId", 'member:' || e."userId"]) AS s(subject)
       WHERE (${all} OR e."workspaceId" = ANY(${ids}::text[])) AND e.status IN ('COMPLETED', 'PENDING', 'QUEUED') AND s.subject IS NOT NULL
       GROUP BY 1, 2, 3
    ), counted AS (
      SELECT "workspaceId", subject, day, credits FROM "BudgetSpend" WHERE (${all} OR "workspaceId" = ANY(${ids}::text[]))
    )
    SELECT coalesce(t."workspaceId", c."workspaceId") AS "workspaceId", coalesce(t.subject, c.subject) AS subject,
           coalesce(t.day, c.day)::text AS day, coalesce(c.credits, 0)::text AS counted, coalesce(t.credits, 0)::text AS events
      FROM truth t FULL JOIN counted c ON c."workspaceId" = t."workspaceId" AND c.subject = t.subject AND c.day = t.day
     WHERE coalesce(c.credits, 0) <> coalesce(t.credits, 0)
     LIMIT 100`;
  for (const d of budgetDrift)
    violations.push(`budgets: ${d.subject} of workspace ${d.workspaceId} on ${d.day} counts ${d.counted} credits, its events ${d.events}`);

  const trigger = await client.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM pg_trigger WHERE tgname = 'LedgerEntry_append_only' AND NOT tgisinternal`;
  if ((trigger[0]?.n ?? 0) !== 1) violations.push("ledger: the append-only trigger is missing");

  return { violations, overdrafts: overdrafts.length, doubleCharges };
}
