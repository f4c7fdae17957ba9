// npm run verify — proof under load, faults and bad input (issue 11). Runs every scenario against the
// built app over HTTP on 127.0.0.1 with a real PostgreSQL, prints one table and exits non-zero on any
// violation. Not part of `npm test` (that runs small versions: test/integration/verify.test.ts).
//
//   npm run verify [-- --only 1,3] [--quick] [--port 4300] [--seed 42] [--no-build]
//
//   1 concurrency   random metering ops over HTTP, then every ledger invariant
//   2 crash         kill -9 of the app and of PostgreSQL mid-load; acknowledged debits exactly once
//   3 webhooks      Stripe events once in order vs 3× shuffled with failed attempts → same state
//   4 bad input     fuzzer over every API route + the forms in Chromium: no 5xx, no balance change
//   5 caps          two instances, one key: exact hourly cap and pending cap
//   6 compatibility the integration suite against Debian's PostgreSQL 15
//   7 security      password and key hashing, cookies, CSRF, headers, login throttling
//   8 probes        the holes found by probing (redirects, sign-out, invitations, bad input, CSV formulas)
//   9 authorization every page, route and server action × 12 kinds of caller → the hand-written matrix, 0 leaks
//  10 jobs crash    kill -9 of the jobs worker mid-sweep; after a restart every rollover and hold release exactly once
//  11 clock skew    two instances 2 s apart race a month boundary, the hourly cap and hold expiry
//  12 top-up crash  kill -9 of the jobs worker mid-auto-top-up; after a restart past the claim lease every
//                   top-up is charged once at Stripe and granted once by its webhook
import { spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { signIn } from "../app-harness.ts";
import { formatTable } from "../ledger-harness.ts";
import { startStripeEmulator } from "../stripe-emulator/index.ts";
import { AppProcess, JobsProcess, PgProcess } from "./stack.ts";
import { httpTarget, type Outcome } from "./support.ts";

const { values: args } = parseArgs({
  options: {
    only: { type: "string" },
    quick: { type: "boolean", default: false },
    port: { type: "string", default: "4300" },
    seed: { type: "string" },
    "no-build": { type: "boolean", default: false },
  },
});
const quick = args.quick;
const basePort = Number(args.port);
const seed = args.seed === undefined ? randomInt(0, 2 ** 31) : Number(args.seed);
const only = new Set((args.only ?? "1,2,3,4,5,6,7,8,9,10,11,12").split(",").map((s) => Number(s.trim())));
const WEBHOOK_SECRET = "whsec_creditbook_verify";
const STRIPE_KEY = "sk_test_creditbook_verify";

// ── the build: .next must be newer than every source file ─────────────────────────────────────────
function newestSource(): number {
  let newest = 0;
  const walk = (p: string) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const f of fs.readdirSync(p)) walk(path.join(p, f));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of ["app", "components", "lib", "proxy.ts", "instrumentation.ts", "next.config.js", "package.json", "prisma/schema.prisma"])
    if (fs.existsSync(p)) walk(p);
  return newest;
}
const buildId = ".next/BUILD_ID";
const stale = !fs.existsSync(buildId) || fs.statSync(buildId).mtimeMs < newestSource();
if (stale) {
  if (args["no-build"]) {
    console.error("verify: the build in .next is missing or older than the sources; run `npm run build` (or drop --no-build)");
    process.exit(2);
  }
  console.log("verify: .next is missing or stale — building (next build) …");
  const r = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (r.status !== 0) {
    console.error("verify: next build failed");
    process.exit(2);
  }
}

// ── the stack ─────────────────────────────────────────────────────────────────────────────────────
const work = path.resolve(`.data/verify-${process.pid}`);
fs.mkdirSync(work, { recursive: true, mode: 0o755 });
const pg = new PgProcess(path.join(work, "pg"), basePort + 100);
const rows: { n: number; name: string; outcome: Outcome; seconds: number }[] = [];
const apps: AppProcess[] = [];
let emulator: Awaited<ReturnType<typeof startStripeEmulator>> | null = null;
let exitCode = 1;

const cleanup = async () => {
  for (const app of apps) await app.stop().catch(() => {});
  await emulator?.close().catch(() => {});
  try {
    const { closeDb } = await import("../../lib/db.ts");
    await closeDb();
  } catch {
    // not opened
  }
  await pg.stop().catch(() => {});
};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void cleanup().finally(() => process.exit(130));
  });
}

try {
  const databaseUrl = await pg.start(true);
  emulator = await startStripeEmulator({ port: basePort + 50, webhookSecret: WEBHOOK_SECRET, quiet: true });
  // The harness reads the same database through lib/ (configuration first, imports second).
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    TEST_MODE: "1",
    DATABASE_POOL_SIZE: "10",
    STRIPE_SECRET_KEY: STRIPE_KEY,
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_BASE: emulator.url,
  });
  const appEnv = (port: number) => ({
    DATABASE_URL: databaseUrl,
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    NEXTAUTH_SECRET: "verify-secret-verify-secret-verify-secret!",
    DATABASE_POOL_SIZE: "20",
    STRIPE_SECRET_KEY: STRIPE_KEY,
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_BASE: emulator!.url,
    LOG_LEVEL: "warn",
  });
  // One after the other: the first migrates and seeds, the second finds it done.
  for (let i = 0; i < 2; i++) {
    const app = new AppProcess(`app${i + 1}`, basePort + i, appEnv(basePort + i), path.join(work, `app${i + 1}.log`));
    apps.push(app);
    await app.start();
  }
  const { db } = await import("../../lib/db.ts");
  const targets = apps.map((a) => httpTarget(a.name, a.url));
  console.log(
    `verify: seed ${seed}${quick ? ", quick" : ""}; PostgreSQL ${databaseUrl.replace(/\/\/[^@]*@/, "//")}, app ${apps.map((a) => a.url).join(" + ")}, logs in ${path.relative(process.cwd(), work)}`,
  );

  const scenarios: { n: number; name: string; run: () => Promise<Outcome> }[] = [
    {
      n: 1,
      name: "concurrency",
      run: async () =>
        (await import("./concurrency.ts")).runConcurrency(targets[0]!, db, {
          ops: quick ? 2_000 : 10_000,
          clients: 32,
          workspaces: 50,
          seed,
        }),
    },
    {
      n: 2,
      name: "crash",
      run: async () => (await import("./crash.ts")).runCrash({ app: apps[0]!, pg, db, debits: quick ? 300 : 1_000, clients: 16, seed }),
    },
    {
      n: 3,
      name: "webhooks",
      run: async () =>
        (await import("./webhooks.ts")).runWebhooks(targets[0]!, db, {
          seed,
          emulatorBase: emulator!.url,
          secretKey: STRIPE_KEY,
          webhookSecret: WEBHOOK_SECRET,
        }),
    },
    {
      n: 4,
      name: "bad input",
      run: async () =>
        (await import("./fuzz.ts")).runFuzz(targets[0]!, db, {
          requests: quick ? 2_000 : 10_000,
          concurrency: 16,
          seed,
          signIn: (credentials) => signIn(apps[0]!.url, credentials),
          browser: { baseUrl: apps[0]!.url },
        }),
    },
    {
      n: 5,
      name: "caps (2 instances)",
      run: async () => (await import("./caps.ts")).runCaps(targets, db, { calls: 200, hourlyCap: 60, reservations: 30, pendingCap: 10 }),
    },
    { n: 6, name: "PostgreSQL 15", run: async () => (await import("./compat.ts")).runCompat({ work, port: basePort + 110 }) },
    {
      n: 7,
      name: "security",
      run: async () =>
        (await import("./security.ts")).runSecurity({
          target: targets[0]!,
          baseUrl: apps[0]!.url,
          db,
          work,
          port: basePort + 10,
          env: appEnv(basePort + 10),
        }),
    },
    {
      n: 8,
      name: "probes",
      run: async () =>
        (await import("./probes.ts")).runProbes({ target: targets[0]!, baseUrl: apps[1]!.url, db, webhookSecret: WEBHOOK_SECRET }),
    },
    {
      n: 9,
      name: "authorization",
      run: async () => (await import("./authz.ts")).runAuthz({ target: targets[0]!, baseUrl: apps[0]!.url, db }),
    },
    {
      n: 10,
      name: "jobs crash",
      run: async () => {
        // LOG_LEVEL info: the worker says when it has started (what JobsProcess waits for).
        const worker = new JobsProcess("jobs", { ...appEnv(basePort), TEST_MODE: "1", LOG_LEVEL: "info" }, path.join(work, "jobs.log"));
        return (await import("./crash.ts")).runJobsCrash({ worker, db, databaseUrl, workspaces: quick ? 200 : 500, seed });
      },
    },
    {
      n: 11,
      name: "clock skew (2 instances)",
      run: async () =>
        (await import("./caps.ts")).runClockSkew(targets, db, { workspaces: 8, hourlyCap: 40, reservations: quick ? 20 : 40 }),
    },
    {
      n: 12,
      name: "top-up crash",
      run: async () => {
        const worker = new JobsProcess(
          "jobs-topup",
          { ...appEnv(basePort), TEST_MODE: "1", LOG_LEVEL: "info" },
          path.join(work, "jobs-topup.log"),
        );
        return (await import("./topup-crash.ts")).runTopUpCrash({
          worker,
          db,
          databaseUrl,
          appUrl: apps[0]!.url,
          emulatorBase: emulator!.url,
          secretKey: STRIPE_KEY,
          workspaces: quick ? 100 : 200,
          seed,
        });
      },
    },
  ];

  for (const s of scenarios) {
    if (!only.has(s.n)) continue;
    console.log(`verify: ${s.n}. ${s.name} …`);
    const started = Date.now();
    let outcome: Outcome;
    try {
      outcome = await s.run();
    } catch (err) {
      outcome = {
        did: "(stopped by an error)",
        figures: "",
        ok: false,
        problems: [err instanceof Error ? (err.stack ?? err.message) : String(err)],
      };
    }
    const seconds = (Date.now() - started) / 1000;
    rows.push({ n: s.n, name: s.name, outcome, seconds });
    console.log(`verify: ${s.n}. ${s.name}: ${outcome.ok ? "ok" : "FAIL"} in ${seconds.toFixed(1)} s — ${outcome.figures}`);
  }
  exitCode = rows.every((r) => r.outcome.ok) ? 0 : 1;
} catch (err) {
  console.error("verify: the harness failed:", err);
  exitCode = 1;
} finally {
  await cleanup();
}

console.log("");
console.log(
  formatTable(
    ["#", "scenario", "what it did", "figures", "time", "result"],
    rows.map((r) => [String(r.n), r.name, r.outcome.did, r.outcome.figures, `${r.seconds.toFixed(0)} s`, r.outcome.ok ? "ok" : "FAIL"]),
  ),
);
for (const r of rows.filter((x) => x.outcome.notes?.length)) {
  console.log(`\n${r.n}. ${r.name}:\n  ${r.outcome.notes!.join("\n  ")}`);
}
for (const r of rows.filter((x) => !x.outcome.ok)) {
  console.log(`\n${r.n}. ${r.name} — problems:\n  ${r.outcome.problems.slice(0, 20).join("\n  ")}`);
}
if (exitCode === 0) fs.rmSync(work, { recursive: true, force: true });
else console.log(`\nverify: FAILED (seed ${seed}); app logs kept in ${path.relative(process.cwd(), work)}`);
process.exit(exitCode);
