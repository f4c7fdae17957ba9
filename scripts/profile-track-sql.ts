// npm run profile:track-sql — where a metering call's PostgreSQL time goes (issue 20; docs/performance.md
// "A batch charged set-based in the database"). Not a test and not a benchmark with targets: on an
// embedded PostgreSQL of its own (scripts/ledger-harness.ts) it sends calls straight to the functions
// from one connection, as the hot path does, and prints the time per call
//   - of one workspace's calls in one batch (credits_track_batch, set-based),
//   - of one call of each of as many workspaces in one batch (set-based too),
//   - of a call alone (credits_track, as the hot path sends it),
// as wall time and the backend's CPU time (/proc), then each function's own time (track_functions) for
// one workspace's batches.
//   npm run profile:track-sql [-- --batch 16 --iterations 300]
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import { runWithLedger } from "./ledger-harness.ts";
import { benchWorkspace } from "./bench-support.ts";

const { values: args } = parseArgs({
  options: { batch: { type: "string", default: "16" }, iterations: { type: "string", default: "300" } },
});
const BATCH = Number(args.batch);
const ITERATIONS = Number(args.iterations);
if (!(BATCH >= 1 && ITERATIONS >= 1)) throw new Error("--batch and --iterations are positive integers");

await runWithLedger({ name: "profile-track-sql", port: 5499, poolSize: 4 }, async (h) => {
  const { trackParameters, TRACK_SQL, TRACK_BATCH_SQL } = await import("../lib/metering/hot-path.ts");
  const hot = await benchWorkspace("profile", 1_000_000_000);
  const many: { id: string; key: string }[] = [];
  for (let i = 0; i < BATCH; i++) many.push(await benchWorkspace(`profile ${i}`, 1_000_000_000));
  many.sort((a, b) => (a.id < b.id ? -1 : 1)); // the lock order the hot path sends a batch in
  /** credits_track's parameters for one debit of aria.chat with `key`, as the hot path builds them. */
  const request = (key = hot.key) =>
    trackParameters({ key, action: "aria.chat", hold: false }, { at: new Date(), quantity: 1, member: null });
  const client = new pg.Client({ connectionString: h.url, options: process.env.PROFILE_PG_OPTIONS });
  await client.connect();
  // As the hot path sends them: a call alone to credits_track, several to credits_track_batch (no
  // metadata here, so nothing to stringify for a call alone).
  const send = (requests: unknown[][]) =>
    client.query(
      requests.length === 1 ? { ...TRACK_SQL, values: requests[0]! } : { ...TRACK_BATCH_SQL, values: [JSON.stringify(requests)] },
    );
  const backend = Number((await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid);
  /** CPU ms (user + system) the connection's PostgreSQL backend has used so far (/proc; Linux clock ticks of 10 ms). */
  const backendCpuMs = () => {
    const fields = fs.readFileSync(`/proc/${backend}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  /** Wall and backend CPU ms per call of `iterations` trips of `size` calls each (one workspace's, or one call of each of `size`). */
  const measure = async (size: number, iterations: number, spread = false) => {
    const started = performance.now();
    const cpu = backendCpuMs();
    for (let i = 0; i < iterations; i++) {
      const { rows } = await send(Array.from({ length: size }, (_, j) => request(spread ? many[j]!.key : hot.key)));
      if (rows.some((row: { r: { outcome: string } }) => row.r.outcome !== "charged")) throw new Error("a call was not charged");
    }
    const calls = size * iterations;
    return `${((performance.now() - started) / calls).toFixed(3)} wall, ${((backendCpuMs() - cpu) / calls).toFixed(3)} CPU`;
  };
  await measure(BATCH, 50); // warm-up: plans cached, pages in memory
  await measure(BATCH, 50, true);
  await measure(1, 50);
  const rows: [string, string][] = [];
  for (let round = 0; round < 2; round++) {
    rows.push([`one workspace, ${BATCH} calls per batch`, await measure(BATCH, ITERATIONS)]);
    rows.push([`${BATCH} workspaces, 1 call each per batch`, await measure(BATCH, ITERATIONS, true)]);
    rows.push(["1 call alone (credits_track)", await measure(1, ITERATIONS)]);
  }
  console.log("ms per call: wall (round trip and commit included) and the backend's CPU; two rounds in turn:");
  for (const [label, value] of rows) console.log(`  ${label.padEnd(36)} ${value}`);

  await client.query("SET track_functions = 'all'");
  await client.query("SELECT pg_stat_reset()");
  await measure(BATCH, ITERATIONS);
  await client.query("SELECT pg_stat_force_next_flush()");
  const functions = await client.query<{ funcname: string; calls: string; self_ms_per_call: string }>(
    `SELECT funcname, calls, round((self_time / ${BATCH * ITERATIONS})::numeric, 4) AS self_ms_per_call
       FROM pg_stat_user_functions ORDER BY self_time DESC`,
  );
  console.log(`\nself time per metering call, ${BATCH} calls per batch (track_functions):`);
  for (const f of functions.rows) console.log(`  ${f.funcname.padEnd(36)} ${f.self_ms_per_call} ms (${f.calls} calls)`);
  await client.end();
  return 0;
});
