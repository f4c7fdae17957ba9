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
  options: {
    requests: { type: "string", default: "40" },
    small: { type: "string", default: "1000" },
    large: { type: "string", default: "1000000" },
  },
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
  const { createAccount } = await import("../lib/accounts/signup.ts");
  const { fillUsage } = await import("./bench-data.ts");

  console.log(`bench:billing — GET /settings/billing, signed in, ${REQUESTS} requests per workspace, app at ${base}`);
  const cases: { entries: number; cookie: string; times: number[] }[] = [];
  for (const entries of SIZES) {
    const email = `bench-billing-${entries}-${process.pid}@creditbook.dev`;
    const { workspaceId } = await createAccount({ name: `Bench ${entries}`, email, password: PASSWORD });
    await fillUsage(db, [workspaceId], entries, { spanDays: 365, tag: `billing-${entries}` });
    cases.push({ entries, cookie: await signIn(base, { email, password: PASSWORD }), times: [] });
  }

  const get = async (cookie: string): Promise<number> => {
    const t0 = performance.now();
    const res = await fetch(`${base}/settings/billing`, { headers: { cookie }, redirect: "manual" });
    const html = await res.text();
    const elapsed = performance.now() - t0;
    if (res.status !== 200 || !html.includes("Usage by action type"))
      throw new Error(`GET /settings/billing answered ${res.status} without the panel`);
    return elapsed;
  };
  for (const c of cases) for (let i = 0; i < 5; i++) await get(c.cookie); // warm-up, not counted
  // Interleaved, so load from elsewhere on the machine falls on both alike.
  for (let i = 0; i < REQUESTS; i++) for (const c of cases) c.times.push(await get(c.cookie));

  const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
  console.log("\nledger entries   median ms   p90 ms");
  for (const c of cases) {
    console.log(
      `${c.entries.toLocaleString("en-US").padStart(14)} ${quantile(c.times, 0.5).toFixed(1).padStart(11)} ${quantile(c.times, 0.9).toFixed(1).padStart(8)}`,
    );
  }
  const ratio = quantile(cases[1]!.times, 0.5) / quantile(cases[0]!.times, 0.5);
  console.log(
    `\nmedian at ${SIZES[1]!.toLocaleString("en-US")} / median at ${SIZES[0]!.toLocaleString("en-US")} = ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO})`,
  );
  console.log(`target met: ${ratio <= TARGET_RATIO ? "yes" : "no"}`);
  exitCode = ratio <= TARGET_RATIO ? 0 : 1;
  await closeDb();
} catch (err) {
  console.error(err);
} finally {
  await app.stop();
}
process.exit(exitCode);
