// npm run bench:admin — the operator overview (/admin) as history grows. Starts two instances of the
// built app on one embedded PostgreSQL, makes 1,000 workspaces, writes 10,000 usage events over the
// last 30 days (bench-data.ts) and measures the page on the first instance; then grows the history to
// 1,000,000 events and measures on the second (whose in-process cache of past days has never seen the
// smaller data). For each: the first request per range (cold: past days aggregated) and the median of
// warm requests. Target: warm median at 1M ≤ 2 × at 10k. Exits non-zero on a miss.
//   npm run bench:admin [-- --requests 20 --workspaces 1000]
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { signIn, startApp } from "./app-harness.ts";

const { values: args } = parseArgs({
  options: { requests: { type: "string", default: "20" }, workspaces: { type: "string", default: "1000" } },
});
const REQUESTS = Number(args.requests);
const WORKSPACES = Number(args.workspaces);
const TOTALS = [10_000, 1_000_000];
const TARGET_RATIO = 2;
const RANGES = ["day", "week", "month"] as const;

process.env.DEMO_MODE = "1"; // seeds the demo operator
const app = await startApp({ name: "bench-admin", instances: 2, basePort: 3290 });
let exitCode = 1;
try {
  const { db, closeDb } = await import("../lib/db.ts");
  const { createWorkspace } = await import("../lib/workspaces/create.ts");
  const { fillUsage } = await import("./bench-data.ts");
  console.log(
    `bench:admin — GET /admin as the operator, ${WORKSPACES.toLocaleString("en-US")} workspaces, ${REQUESTS} warm requests per size`,
  );
  const ids: string[] = [];
  for (let i = 0; i < WORKSPACES; i++)
    ids.push((await db.$transaction((tx) => createWorkspace(tx, { name: `admin bench ${i}`, at: new Date() }))).id);

  const get = async (base: string, cookie: string, range: string): Promise<number> => {
    const t0 = performance.now();
    const res = await fetch(`${base}/admin?range=${range}`, { headers: { cookie }, redirect: "manual" });
    const html = await res.text();
    const elapsed = performance.now() - t0;
    if (res.status !== 200 || !html.includes("Credits consumed")) throw new Error(`GET /admin answered ${res.status} without the overview`);
    return elapsed;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  const results: { total: number; cold: Record<string, number>; warm: number }[] = [];
  let written = 0;
  for (const [i, total] of TOTALS.entries()) {
    await fillUsage(db, ids, Math.round((total - written) / ids.length), { spanDays: 30, tag: `admin-${total}` });
    written = total;
    const base = app.urls[i]!;
    const cookie = await signIn(base, { email: "admin@creditbook.dev", password: "creditbook-admin" });
    const cold: Record<string, number> = {};
    for (const range of RANGES) cold[range] = await get(base, cookie, range);
    const warm: number[] = [];
    for (let r = 0; r < REQUESTS; r++) warm.push(await get(base, cookie, RANGES[r % RANGES.length]!));
    results.push({ total, cold, warm: median(warm) });
  }

  console.log("\nevents       cold today ms  cold 7 days ms  cold 30 days ms  warm median ms");
  for (const r of results) {
    console.log(
      `${r.total.toLocaleString("en-US").padStart(9)} ${r.cold.day!.toFixed(0).padStart(14)} ${r.cold.week!.toFixed(0).padStart(15)} ${r.cold.month!.toFixed(0).padStart(16)} ${r.warm.toFixed(1).padStart(15)}`,
    );
  }
  const ratio = results[1]!.warm / results[0]!.warm;
  console.log(`\nwarm median at 1,000,000 / at 10,000 = ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO})`);
  console.log(
    `cold 30 days at 1,000,000 / at 10,000 = ${(results[1]!.cold.month! / results[0]!.cold.month!).toFixed(2)} (for information: past days are cached for 5 minutes)`,
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
