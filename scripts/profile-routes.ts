// The CPU a debit costs beyond the no-op route, split by where it goes (issue 20's T6): starts the built
// app with a V8 CPU profile, drives GET /api/ping and then POST /api/v1/track across many workspaces
// (16 connections each, as bench:api's T1/T6 runs), and writes the profile plus the phases' clock
// readings. `npx tsx scripts/profile-summary.ts FILE --phases DIR/phases.json` then prints CPU µs per
// request of each phase by owner and by function, and the difference track − ping.
//   npm run profile:routes [-- --duration 8 --workspaces 200 --port 3830 --out .reports/routes]
// The profiler's clock and process.hrtime are both the monotonic clock, so the phases line up.
import autocannon from "autocannon";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { startApp } from "./app-harness.ts";
import { benchWorkspace, routeRequest, treeCpuMs } from "./bench-support.ts";

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "8" },
    workspaces: { type: "string", default: "200" },
    port: { type: "string", default: "3830" },
    out: { type: "string", default: ".reports/routes" },
    rounds: { type: "string", default: "1" },
    "no-profile": { type: "boolean", default: false },
  },
});
const DURATION = Number(args.duration);
const WORKSPACES = Number(args.workspaces);
const out = path.resolve(args.out);
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });

const micros = () => Number(process.hrtime.bigint() / 1000n);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const app = await startApp({
  name: "profile-routes",
  instances: 1,
  basePort: Number(args.port),
  workers: 1,
  ...(args["no-profile"] ? {} : { cpuProfileDir: out }),
});
try {
  const { closeDb } = await import("../lib/db.ts");
  const keys: string[] = [];
  for (let i = 0; i < WORKSPACES; i++) keys.push((await benchWorkspace(`profile ${i}`, 100_000_000)).key);
  const drive = async (label: string, track: boolean, seconds: number) => {
    const cpuBefore = treeCpuMs(app.pids[0]!);
    const startUs = micros();
    const r = await autocannon({
      url: app.urls[0]!,
      connections: 16,
      duration: seconds,
      requests: [routeRequest(track ? keys : null)],
    });
    const phase = { label, startUs, endUs: micros(), requests: r.requests.total, cpuMs: treeCpuMs(app.pids[0]!) - cpuBefore };
    console.log(
      `${label}: ${r.requests.average.toFixed(0)} req/s, ${(phase.cpuMs / phase.requests).toFixed(3)} app CPU ms/req, non-2xx ${r.non2xx}`,
    );
    return phase;
  };
  await drive("warm-up track", true, 4);
  await drive("warm-up ping", false, 2);
  await sleep(1000);
  // --rounds N: ping and track taken in turn N times (load from elsewhere falls on both alike); the
  // profile's phases are the first round's.
  const rounds: Awaited<ReturnType<typeof drive>>[][] = [];
  for (let i = 0; i < Number(args.rounds); i++) {
    const ping = await drive("ping", false, DURATION);
    await sleep(1000);
    rounds.push([ping, await drive("track", true, DURATION)]);
    await sleep(1000);
  }
  const phases = rounds[0]!;
  const sum = (i: number, f: (p: (typeof phases)[number]) => number) => rounds.reduce((n, r) => n + f(r[i]!), 0);
  const perReq = (i: number) => sum(i, (p) => p.cpuMs) / sum(i, (p) => p.requests);
  const rate = (i: number) => sum(i, (p) => p.requests) / sum(i, (p) => (p.endUs - p.startUs) / 1e6);
  console.log(
    `all rounds: ping ${rate(0).toFixed(0)} req/s ${perReq(0).toFixed(3)} ms/req; track ${rate(1).toFixed(0)} req/s ${perReq(1).toFixed(3)} ms/req; ` +
      `track ÷ ping: req/s ${(rate(1) / rate(0)).toFixed(2)}, CPU ${(perReq(1) / perReq(0)).toFixed(2)}`,
  );
  fs.writeFileSync(path.join(out, "phases.json"), JSON.stringify(phases, null, 2));
  await closeDb();
} finally {
  await app.stop();
}
console.log(`profile and phases.json in ${out}`);
process.exit(0);
