#!/usr/bin/env node
// npm run demo — everything a newcomer needs, in one command:
// an embedded PostgreSQL in .data/pg (unless DATABASE_URL is set), migrations, the demo seed, a production
// build, and the portal on http://localhost:3000. Ctrl-C stops the app and the database; data is kept.
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import { startPostgres } from "./pg.mjs";

const PORT = process.env.PORT ?? "3000";
const bold = (s) => `\x1b[1m${s}\x1b[0m`;
const log = (s) => console.log(`${bold("[demo]")} ${s}`);

fs.mkdirSync(".data", { recursive: true, mode: 0o755 });
const secretFile = ".data/nextauth-secret";
if (!fs.existsSync(secretFile)) fs.writeFileSync(secretFile, crypto.randomBytes(32).toString("base64"), { mode: 0o600 });

let pg = null;
let databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  log("starting the embedded PostgreSQL in .data/pg …");
  pg = await startPostgres({ dir: ".data/pg" });
  databaseUrl = pg.url;
} else {
  log("using DATABASE_URL from the environment");
}

// Payments: real Stripe when STRIPE_SECRET_KEY is set, else the local emulator (nothing is charged).
let stripeEmulator = null;
let stripeEnv = {};
if (!process.env.STRIPE_SECRET_KEY) {
  const stripePort = process.env.STRIPE_EMULATOR_PORT ?? "12111";
  log(`starting the local Stripe emulator on port ${stripePort} (payments are simulated) …`);
  stripeEmulator = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/stripe-emulator/main.ts",
      "--port",
      stripePort,
      "--webhook-url",
      `http://127.0.0.1:${PORT}/api/stripe/webhook`,
      "--webhook-secret",
      "whsec_creditbook_demo",
      "--state",
      ".data/stripe-emulator.json",
      "--exit-with-stdin",
      "--quiet",
    ],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const url = await new Promise((resolve, reject) => {
    stripeEmulator.stdout.on("data", (chunk) => {
      const m = /listening on (\S+)/.exec(String(chunk));
      if (m) resolve(m[1]);
    });
    stripeEmulator.once("exit", (code) =>
      reject(new Error(`the Stripe emulator exited (${code}); is port ${stripePort} free? Set STRIPE_EMULATOR_PORT.`)),
    );
  }).catch(async (err) => {
    log(err.message);
    if (pg) await pg.stop();
    process.exit(1);
  });
  stripeEnv = { STRIPE_SECRET_KEY: "sk_test_creditbook_demo", STRIPE_WEBHOOK_SECRET: "whsec_creditbook_demo", STRIPE_API_BASE: url };
}

// x402 pay-per-call: a real facilitator when X402_FACILITATOR_URL is set, else the local emulator
// (signatures are verified for real; nothing moves on chain). Base Sepolia unless X402_NETWORK says otherwise.
let x402Facilitator = null;
let x402Env = {};
if (!process.env.X402_FACILITATOR_URL) {
  const x402Port = process.env.X402_FACILITATOR_PORT ?? "12112";
  log(`starting the local x402 facilitator on port ${x402Port} (USDC payments are simulated) …`);
  x402Facilitator = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/x402-facilitator/main.ts", "--port", x402Port, "--exit-with-stdin", "--quiet"],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const url = await new Promise((resolve, reject) => {
    x402Facilitator.stdout.on("data", (chunk) => {
      const m = /listening on (\S+)/.exec(String(chunk));
      if (m) resolve(m[1]);
    });
    x402Facilitator.once("exit", (code) =>
      reject(new Error(`the x402 facilitator exited (${code}); is port ${x402Port} free? Set X402_FACILITATOR_PORT.`)),
    );
  }).catch(async (err) => {
    log(err.message);
    if (stripeEmulator && stripeEmulator.exitCode === null) stripeEmulator.kill("SIGTERM");
    if (pg) await pg.stop();
    process.exit(1);
  });
  x402Env = { X402_FACILITATOR_URL: url, X402_NETWORK: process.env.X402_NETWORK ?? "eip155:84532" };
}

const env = {
  ...process.env,
  ...stripeEnv,
  ...x402Env,
  DATABASE_URL: databaseUrl,
  NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? fs.readFileSync(secretFile, "utf8").trim(),
  NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${PORT}`,
  DEMO_MODE: "1",
  JOBS_IN_PROCESS: process.env.JOBS_IN_PROCESS ?? "1",
  NEXT_TELEMETRY_DISABLED: "1",
};
const demoEmail = env.DEMO_EMAIL ?? "demo@creditbook.dev";
const demoPassword = env.DEMO_PASSWORD ?? "creditbook-demo";

let app = null;
let shuttingDown = false;
async function shutdown(code = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  log("stopping …");
  if (app && app.exitCode === null) {
    app.kill("SIGTERM");
    await new Promise((r) => app.once("exit", r));
  }
  if (stripeEmulator && stripeEmulator.exitCode === null) stripeEmulator.kill("SIGTERM");
  if (x402Facilitator && x402Facilitator.exitCode === null) x402Facilitator.kill("SIGTERM");
  if (pg) await pg.stop();
  log("stopped. Your data is kept in .data/ for next time.");
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

if (!process.argv.includes("--no-build")) {
  log("building the app (next build) …");
  const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    stdio: "inherit",
    env: { ...env, NODE_ENV: "production" },
  });
  if (build.status !== 0) await shutdown(build.status ?? 1);
}

app = spawn(process.execPath, ["scripts/serve.mjs", "--port", PORT], { stdio: ["ignore", "pipe", "inherit"], env });
app.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  if (/Ready in/.test(String(chunk))) {
    console.log(
      [
        "",
        bold("  Creditbook is running"),
        `  Portal:     http://localhost:${PORT}`,
        `  Sign in as: ${demoEmail}  /  ${demoPassword}`,
        `  Database:   ${pg ? "embedded PostgreSQL, data in .data/pg" : "DATABASE_URL"}`,
        `  API docs:   http://localhost:${PORT}/docs/api`,
        `  Payments:   ${stripeEmulator ? `simulated by the local Stripe emulator at ${env.STRIPE_API_BASE} (test card 4242 4242 4242 4242)` : "Stripe (STRIPE_SECRET_KEY)"}`,
        `  x402:       ${x402Facilitator ? `pay-per-call in USDC simulated by the local facilitator at ${env.X402_FACILITATOR_URL} (${env.X402_NETWORK})` : `facilitator ${env.X402_FACILITATOR_URL}`}`,
        "  Traffic:    run `npm run simulate` in another terminal to watch the panel move",
        "  Stop with Ctrl-C.",
        "",
      ].join("\n"),
    );
  }
});
app.on("exit", (code) => {
  if (!shuttingDown) void shutdown(code ?? 1);
});
