#!/usr/bin/env node
// Prepares the database (migrations, catalogue and demo seed) and runs the built app with our server
// (scripts/server.mjs: request ids, JSON logs, graceful shutdown).
// Expects DATABASE_URL. Used by `npm run demo` and by the e2e tests (with --test: TEST_MODE on).
//   node scripts/serve.mjs [--port 3000] [--test] [--cpu-prof DIR]
// --cpu-prof DIR: the server writes a V8 CPU profile into DIR when it exits (benchmarks' profiles).
import { spawn, spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: { port: { type: "string", default: "3000" }, test: { type: "boolean", default: false }, "cpu-prof": { type: "string" } },
});

if (!process.env.DATABASE_URL) {
  console.error("serve: DATABASE_URL is not set");
  process.exit(2);
}

// One process unless WEB_CONCURRENCY says otherwise: the demo and the tests run beside other work on a
// laptop, and test mode's clock lives in one process.
const env = { WEB_CONCURRENCY: "1", ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
if (args.test) Object.assign(env, { NODE_ENV: "test", TEST_MODE: "1" });

// scripts/server-runtime.mjs: lib modules marked `import "server-only"` load in plain Node.
const tsx = ["--import", "tsx", "--import", "./scripts/server-runtime.mjs"];
for (const script of ["scripts/migrate.ts", "prisma/seed.ts"]) {
  const r = spawnSync(process.execPath, [...tsx, script], { stdio: "inherit", env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const profile = args["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${args["cpu-prof"]}`] : [];
const next = spawn(process.execPath, [...profile, "scripts/server.mjs", "--port", args.port], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => next.kill("SIGTERM"));
}
next.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
