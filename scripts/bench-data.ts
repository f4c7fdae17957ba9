// Shared by the page benchmarks (bench:billing, bench:admin): usage history written in bulk with SQL in
// the shapes the debit path writes — completed events at the current price version, their DEBIT ledger
// entries on one purchased grant per workspace, and the daily rollups — then the ledger invariants are
// checked, so a benchmark never measures data the app could not have produced.
import { performance } from "node:perf_hooks";
import type { Db } from "../lib/db.ts";

export async function fillUsage(
  db: Db,
  workspaceIds: string[],
  eventsPerWorkspace: number,
  options: { spanDays: number; tag: string },
): Promise<void> {
  const started = performance.now();
  const { checkInvariants } = await import("../lib/credits/index.ts");
  const source = `bench-${options.tag}`;
  const credits = 1_000_000_000;
  const span = `${options.spanDays} days`;
  await db.$transaction(
    async (tx) => {
      await tx.$executeRaw`
        CREATE TEMP TABLE bench_grants ON COMMIT DROP AS
        SELECT w AS "workspaceId", ${source} || '-' || w AS id FROM unnest(${workspaceIds}::text[]) w`;
      await tx.$executeRaw`
        INSERT INTO "CreditGrant" (id, "workspaceId", type, amount, remaining, source, "createdAt")
        SELECT g.id, g."workspaceId", 'PURCHASED', ${credits}, ${credits}, ${source}, now() - ${span}::interval - interval '1 day' FROM bench_grants g`;
      await tx.$executeRaw`
        INSERT INTO "LedgerEntry" ("workspaceId", "grantId", amount, kind, reason, "createdAt")
        SELECT g."workspaceId", g.id, ${credits}, 'GRANT', ${source}, now() - ${span}::interval - interval '1 day' FROM bench_grants g`;
      // The current price of every action that costs something, numbered so events cycle through them.
      await tx.$executeRaw`
        CREATE TEMP TABLE bench_prices ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY p."actionKey") - 1 AS n, p.id, p."actionKey", p.category, p.credits
          FROM "ActionPrice" p
         WHERE p.credits > 0 AND p."effectiveFrom" <= now()
           AND NOT EXISTS (SELECT 1 FROM "ActionPrice" q WHERE q."actionKey" = p."actionKey" AND q."effectiveFrom" <= now() AND q."effectiveFrom" > p."effectiveFrom")`;
      // Spread evenly over the span, ending now; in time order, as the ledger is appended.
      await tx.$executeRaw`
        INSERT INTO "UsageEvent" (id, "workspaceId", "actionKey", category, "priceId", credits, status, "createdAt", "completedAt")
        SELECT g.id || '-' || i, g."workspaceId", p."actionKey", p.category, p.id, p.credits, 'COMPLETED', t.at, t.at
          FROM generate_series(1, ${eventsPerWorkspace}::int) i
          CROSS JOIN bench_grants g
          CROSS JOIN LATERAL (SELECT now() - ${span}::interval * (${eventsPerWorkspace}::int - i) / ${eventsPerWorkspace}::int AS at) t
          JOIN bench_prices p ON p.n = (i + hashtext(g."workspaceId")::bigint) % (SELECT count(*) FROM bench_prices)
         ORDER BY t.at`;
      await tx.$executeRaw`
        INSERT INTO "LedgerEntry" ("workspaceId", "grantId", amount, kind, "usageEventId", "createdAt")
        SELECT e."workspaceId", g.id, -e.credits, 'DEBIT', e.id, e."createdAt"
          FROM bench_grants g JOIN "UsageEvent" e ON e."workspaceId" = g."workspaceId" AND e.id LIKE g.id || '-%'
         ORDER BY e."createdAt"`;
      await tx.$executeRaw`
        INSERT INTO "UsageRollup" ("workspaceId", day, category, credits, events)
        SELECT e."workspaceId", (e."createdAt" AT TIME ZONE 'UTC')::date, e.category, sum(e.credits), count(*)
          FROM bench_grants g JOIN "UsageEvent" e ON e."workspaceId" = g."workspaceId" AND e.id LIKE g.id || '-%'
         GROUP BY 1, 2, 3
        ON CONFLICT ("workspaceId", day, category) DO UPDATE
          SET credits = "UsageRollup".credits + EXCLUDED.credits, events = "UsageRollup".events + EXCLUDED.events`;
      await tx.$executeRaw`
        UPDATE "CreditGrant" c SET remaining = c.amount - s.spent
          FROM (SELECT g.id, sum(e.credits) AS spent FROM bench_grants g JOIN "UsageEvent" e ON e."workspaceId" = g."workspaceId" AND e.id LIKE g.id || '-%' GROUP BY g.id) s
         WHERE c.id = s.id`;
    },
    { timeout: 1_800_000 },
  );
  // The state the app keeps a table in that grew over the span: statistics current (autovacuum) and the
  // BRIN time index summarized (the jobs sweep does it every minute: lib/admin/overview.ts).
  await db.$executeRawUnsafe(`ANALYZE "UsageEvent", "LedgerEntry", "UsageRollup", "CreditGrant"`);
  const { summarizeUsageTimeIndex } = await import("../lib/admin/overview.ts");
  await summarizeUsageTimeIndex();
  const report = await checkInvariants(db, workspaceIds);
  if (report.violations.length > 0)
    throw new Error(`the generated ledger breaks an invariant: ${report.violations.slice(0, 3).join("; ")}`);
  const events = workspaceIds.length * eventsPerWorkspace;
  console.log(
    `  ${events.toLocaleString("en-US")} events in ${workspaceIds.length.toLocaleString("en-US")} workspace(s) written in ${((performance.now() - started) / 1000).toFixed(1)} s (invariants hold)`,
  );
}
