// npm run bench:billing — the Settings → Billing page's server time as a workspace's history grows.
// Starts the built app on an embedded PostgreSQL, makes two accounts whose workspaces hold 1,000 and
// 1,000,000 ledger entries (usage events spread over the past year, written in bulk with SQL in the
// shapes the debit path writes: events, DEBIT entries, daily rollups, and the grant they drew on; the
// ledger invariants are checked before measuring), then requests the signed-in page for each in turn.
// Prints the median and p90 of each and their ratio; target: 1M ≤ 1.5 × 1k. Exits non-zero on a miss.
//   npm run bench:billing [-- --requests 40 --large 1000000]
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { signIn, startApp } from "./app-harness.ts";

const { values: args } = parseArgs({
  options: { requests: { type: "string", default: "40" }, small: { type: "string", default: "1000" }, large: { type: "string", default: "1000000" } },
});
const REQUESTS = Number(args.requests);
const SIZES = [Number(args.small), Number(args.large)];
const TARGET_RATIO = 1.5;
const PASSWORD = "bench-billing-password";

const app = await startApp({ name: "bench-billing", instances: 1, basePort: 3260 });
let exitCode = 1;
try {
  const base = app.urls[0]!;
  const { db, closeDb } = await import("../lib/db.ts");
  const { createAccount } = await import("../lib/auth/signup.ts");
  const { checkInvariants } = await import("../lib/credits/invariants.ts");

  /** `entries` DEBIT entries (and their completed events) on one purchased grant, over the past year. */
  async function fill(workspaceId: string, entries: number) {
    const started = performance.now();
    const grantId = `bench-${workspaceId}`;
    const credits = 1_000_000_000;
    await db.$transaction(async (tx) => {
      await tx.$executeRaw`
        INSERT INTO "CreditGrant" (id, "workspaceId", type, amount, remaining, source, "createdAt")
        VALUES (${grantId}, ${workspaceId}, 'PURCHASED', ${credits}, ${credits}, 'bench-billing', now() - interval '366 days')`;
      await tx.$executeRaw`
        INSERT INTO "LedgerEntry" ("workspaceId", "grantId", amount, kind, reason, "createdAt")
        VALUES (${workspaceId}, ${grantId}, ${credits}, 'GRANT', 'bench-billing', now() - interval '366 days')`;
      // The current price of every action that costs something, numbered so events cycle through them.
      await tx.$executeRaw`
        CREATE TEMP TABLE bench_prices ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY p."actionKey") - 1 AS n, p.id, p."actionKey", p.category, p.credits
          FROM "ActionPrice" p
         WHERE p.credits > 0 AND p."effectiveFrom" <= now()
           AND NOT EXISTS (SELECT 1 FROM "ActionPrice" q WHERE q."actionKey" = p."actionKey" AND q."effectiveFrom" <= now() AND q."effectiveFrom" > p."effectiveFrom")`;
      await tx.$executeRaw`
        INSERT INTO "UsageEvent" (id, "workspaceId", "actionKey", category, "priceId", credits, status, "createdAt", "completedAt")
        SELECT ${grantId} || '-' || g, ${workspaceId}, p."actionKey", p.category, p.id, p.credits, 'COMPLETED', t.at, t.at
          FROM generate_series(1, ${entries}::int) g
          CROSS JOIN LATERAL (SELECT now() - interval '365 days' * (${entries}::int - g) / ${entries}::int AS at) t
          JOIN bench_prices p ON p.n = g % (SELECT count(*) FROM bench_prices)`;
      await tx.$executeRaw`
        INSERT INTO "LedgerEntry" ("workspaceId", "grantId", amount, kind, "usageEventId", "createdAt")
        SELECT e."workspaceId", ${grantId}, -e.credits, 'DEBIT', e.id, e."createdAt"
          FROM "UsageEvent" e WHERE e."workspaceId" = ${workspaceId} AND e.id LIKE ${grantId} || '-%' ORDER BY e."createdAt"`;
      await tx.$executeRaw`
        INSERT INTO "UsageRollup" ("workspaceId", day, category, credits, events)
        SELECT e."workspaceId", (e."createdAt" AT TIME ZONE 'UTC')::date, e.category, sum(e.credits), count(*)
          FROM "UsageEvent" e WHERE e."workspaceId" = ${workspaceId} AND e.id LIKE ${grantId} || '-%'
         GROUP BY 1, 2, 3
        ON CONFLICT ("workspaceId", day, category) DO UPDATE
          SET credits = "UsageRollup".credits + EXCLUDED.credits, events = "UsageRollup".events + EXCLUDED.events`;
      await tx.$executeRaw`
        UPDATE "CreditGrant" SET remaining = amount - (SELECT sum(credits) FROM "UsageEvent" WHERE "workspaceId" = ${workspaceId} AND id LIKE ${grantId} || '-%')
         WHERE id = ${grantId}`;
    }, { timeout: 600_000 });
    await db.$executeRawUnsafe(`ANALYZE "UsageEvent", "LedgerEntry", "UsageRollup", "CreditGrant"`);
    const [row] = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "LedgerEntry" WHERE "workspaceId" = ${workspaceId}`;
    const report = await checkInvariants(db, [workspaceId]);
    if (report.violations.length > 0) throw new Error(`the generated ledger breaks an invariant: ${JSON.stringify(report).slice(0, 500)}`);
    console.log(`  workspace with ${Number(row!.n).toLocaleString("en-US")} ledger entries ready in ${((performance.now() - started) / 1000).toFixed(1)} s (invariants hold)`);
  }

  console.log(`bench:billing — GET /settings/billing, signed in, ${REQUESTS} requests per workspace, app at ${base}`);
  const cases: { entries: number; cookie: string; times: number[] }[] = [];
  for (const entries of SIZES) {
    const email = `bench-billing-${entries}-${process.pid}@creditbook.dev`;
    const { workspaceId } = await createAccount({ name: `Bench ${entries}`, email, password: PASSWORD });
    await fill(workspaceId, entries);
    cases.push({ entries, cookie: await signIn(base, { email, password: PASSWORD }), times: [] });
  }

  const get = async (cookie: string): Promise<number> => {
    const t0 = performance.now();
    const res = await fetch(`${base}/settings/billing`, { headers: { cookie }, redirect: "manual" });
    const html = await res.text();
    const elapsed = performance.now() - t0;
    if (res.status !== 200 || !html.includes("Usage by action type")) throw new Error(`GET /settings/billing answered ${res.status} without the panel`);
    return elapsed;
  };
  for (const c of cases) for (let i = 0; i < 5; i++) await get(c.cookie); // warm-up, not counted
  // Interleaved, so load from elsewhere on the machine falls on both alike.
  for (let i = 0; i < REQUESTS; i++) for (const c of cases) c.times.push(await get(c.cookie));

  const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
  console.log("\nledger entries   median ms   p90 ms");
  for (const c of cases) {
    console.log(`${c.entries.toLocaleString("en-US").padStart(14)} ${quantile(c.times, 0.5).toFixed(1).padStart(11)} ${quantile(c.times, 0.9).toFixed(1).padStart(8)}`);
  }
  const ratio = quantile(cases[1]!.times, 0.5) / quantile(cases[0]!.times, 0.5);
  console.log(`\nmedian at ${SIZES[1]!.toLocaleString("en-US")} / median at ${SIZES[0]!.toLocaleString("en-US")} = ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO})`);
  console.log(`target met: ${ratio <= TARGET_RATIO ? "yes" : "no"}`);
  exitCode = ratio <= TARGET_RATIO ? 0 : 1;
  await closeDb();
} catch (err) {
  console.error(err);
} finally {
  await app.stop();
}
process.exit(exitCode);
