// Two builds of the app compared on one machine at the same time (issue 20's T1/T6 on a shared host,
// where load from elsewhere moves single runs by ±15 %): both run on one embedded PostgreSQL with the same
// 200 workspaces, and GET /api/ping and POST /api/v1/track (16 connections) are driven in turn — ping A,
// track A, ping B, track B, … — so that load from elsewhere falls on both alike. Prints, per build and
// cumulatively after each round: req/s, app CPU ms per request (process tree, /proc; system time apart),
// and track ÷ ping.
//   npm run ab:routes -- DIR_A DIR_B [--rounds 3] [--seconds 6] [--port 3830]
// Each DIR is a checkout with its own build (`NODE_ENV=production npx next build` in it); append
// `|NAME=value,…` to a DIR to start that build with extra environment (e.g. "dir|METERING_CONCURRENCY=4").
import autocannon from "autocannon";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { startPostgres } from "./pg.mjs";
import { waitForHealth } from "./app-harness.ts";
import { benchWorkspace, routeRequest, treeCpuMs } from "./bench-support.ts";

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: "string", default: "3" },
    seconds: { type: "string", default: "6" },
    port: { type: "string", default: "3830" },
  },
});
if (positionals.length !== 2) {
  console.error("usage: npm run ab:routes -- DIR_A DIR_B [--rounds 3] [--seconds 6] [--port 3830]");
  process.exit(2);
}
const ROUNDS = Number(args.rounds);
const SECONDS = Number(args.seconds);
const basePort = Number(args.port);

/** System CPU ms of a process and its children (/proc; USER_HZ 100). */
function systemMs(root: number): number {
  let total = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      if (Number(entry) === root || Number(fields[1]) === root) total += Number(fields[12]) * 10;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

const pgDir = `.data/ab-routes-pg-${process.pid}`;
const pg = await startPostgres({ dir: pgDir, port: basePort + 100, fresh: true, quiet: true });
process.env.DATABASE_URL = pg.url;
type App = { label: string; url: string; child: ChildProcess };
const apps: App[] = [];
const stop = async () => {
  for (const app of apps) if (app.child.exitCode === null) app.child.kill("SIGTERM");
  await Promise.all(apps.map((app) => (app.child.exitCode === null ? new Promise((r) => app.child.once("exit", r)) : null)));
  await pg.stop();
  fs.rmSync(pgDir, { recursive: true, force: true });
};
try {
  for (const [i, spec] of positionals.entries()) {
    const [dir = "", extra = ""] = spec.split("|");
    const port = basePort + i;
    const url = `http://127.0.0.1:${port}`;
    const env = Object.fromEntries(
      extra
        .split(",")
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
    );
    const child = spawn(process.execPath, ["scripts/serve.mjs", "--port", String(port)], {
      cwd: path.resolve(dir),
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        DATABASE_URL: pg.url,
        NEXTAUTH_URL: url,
        NEXTAUTH_SECRET: "bench-secret-bench-secret-bench-secret!!",
        DATABASE_POOL_SIZE: "20",
        WEB_CONCURRENCY: "1",
        ...env,
      },
    });
    apps.push({ label: spec, url, child });
    await waitForHealth(url, child);
  }

  const { closeDb } = await import("../lib/db.ts");
  const keys: string[] = [];
  for (let i = 0; i < 200; i++) keys.push((await benchWorkspace(`ab ${i}`, 100_000_000)).key);

  type Totals = { requests: number; cpuMs: number; systemMs: number; seconds: number; non2xx: number };
  const zero = (): Totals => ({ requests: 0, cpuMs: 0, systemMs: 0, seconds: 0, non2xx: 0 });
  const totals = apps.map(() => ({ ping: zero(), track: zero() }));
  const drive = async (a: number, track: boolean, seconds: number, count: boolean) => {
    const app = apps[a]!;
    const [cpu0, system0, t0] = [treeCpuMs(app.child.pid!), systemMs(app.child.pid!), performance.now()];
    const result = await autocannon({
      url: app.url,
      connections: 16,
      duration: seconds,
      requests: [routeRequest(track ? keys : null)],
    });
    if (!count) return;
    const t = totals[a]![track ? "track" : "ping"];
    t.requests += result.requests.total;
    t.cpuMs += treeCpuMs(app.child.pid!) - cpu0;
    t.systemMs += systemMs(app.child.pid!) - system0;
    t.seconds += (performance.now() - t0) / 1000;
    t.non2xx += result.non2xx;
  };
  for (let a = 0; a < apps.length; a++) {
    await drive(a, true, 4, false); // warm-up
    await drive(a, false, 2, false);
  }
  const rate = (t: Totals) => t.requests / t.seconds;
  const perRequest = (t: Totals) => t.cpuMs / t.requests;
  const describe = (t: Totals) =>
    `${rate(t).toFixed(0).padStart(5)} req/s ${perRequest(t).toFixed(3)} ms/req (system ${(t.systemMs / t.requests).toFixed(3)})`;
  for (let round = 1; round <= ROUNDS; round++) {
    for (let a = 0; a < apps.length; a++) {
      await drive(a, false, SECONDS, true);
      await drive(a, true, SECONDS, true);
    }
    const load = fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
    console.log(`after round ${round} (load ${load}):`);
    for (const [a, { ping, track }] of totals.entries()) {
      console.log(
        `  ${apps[a]!.label}\n    ping ${describe(ping)} | track ${describe(track)} | track ÷ ping: req/s ${(rate(track) / rate(ping)).toFixed(2)}, CPU ${(perRequest(track) / perRequest(ping)).toFixed(2)} | non-2xx ${ping.non2xx + track.non2xx}`,
      );
    }
  }
  await closeDb();
} finally {
  await stop();
}
process.exit(0);
