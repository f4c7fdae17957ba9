// Shared by the HTTP benchmarks: an embedded PostgreSQL (unless DATABASE_URL is set), the built app
// started on it (as many instances as asked), and cleanup on exit.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { startPostgres } from "./pg.mjs";
import { startStripeEmulator } from "./stripe-emulator/index.ts";
import { startX402Facilitator } from "./x402-facilitator/index.ts";

/** `stopApps` stops the app processes only (the database stays up for another harness on it); `stop` stops everything. */
export type Harness = { databaseUrl: string; urls: string[]; pids: number[]; stopApps: () => Promise<void>; stop: () => Promise<void> };

export async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the app on ${url} exited (${child.exitCode ?? child.signalCode})`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the app on ${url} did not become healthy`);
}

type AppOptions = {
  name: string;
  instances: number;
  basePort: number;
  build?: "always" | "if-missing";
  /** Payments through the local Stripe emulator (started here, webhooks to the first instance), as in the demo. */
  stripe?: boolean;
  /** x402 pay-per-call through the local facilitator emulator (started here), on Base Sepolia, as in the demo. */
  x402?: boolean;
  /** Write a V8 CPU profile of each app process into this folder when it stops (scripts/serve.mjs --cpu-prof). */
  cpuProfileDir?: string;
  /** Worker processes per instance (WEB_CONCURRENCY, scripts/server.mjs); 1 unless given. */
  workers?: number;
};

export async function startApp(options: AppOptions): Promise<Harness> {
  if (options.build === "always" || !fs.existsSync(".next/BUILD_ID")) {
    console.log("[bench] building the app (next build) …");
    const r = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
      stdio: "inherit",
      env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (r.status !== 0) throw new Error("next build failed");
  }
  const dir = `.data/${options.name}-pg-${process.pid}`;
  const pg = process.env.DATABASE_URL ? null : await startPostgres({ dir, port: options.basePort + 100, fresh: true, quiet: true });
  const databaseUrl = process.env.DATABASE_URL ?? pg!.url;
  process.env.DATABASE_URL = databaseUrl;
  const children: ChildProcess[] = [];
  const urls: string[] = [];
  const emulator = options.stripe
    ? await startStripeEmulator({
        port: options.basePort + 50,
        webhookUrl: `http://127.0.0.1:${options.basePort}/api/stripe/webhook`,
        webhookSecret: "whsec_creditbook_harness",
        quiet: true,
      })
    : null;
  const facilitator = options.x402 ? await startX402Facilitator({ port: options.basePort + 51, quiet: true }) : null;
  const x402Env = facilitator ? { X402_FACILITATOR_URL: facilitator.url, X402_NETWORK: "eip155:84532" } : {};
  const stripeEnv = emulator
    ? { STRIPE_SECRET_KEY: "sk_test_creditbook_harness", STRIPE_WEBHOOK_SECRET: "whsec_creditbook_harness", STRIPE_API_BASE: emulator.url }
    : {};
  const stopApps = async () => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null)));
  };
  const stop = async () => {
    await stopApps();
    await emulator?.close();
    await facilitator?.close();
    if (pg) {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    // One after the other: the first migrates and seeds, the next find it done.
    for (let i = 0; i < options.instances; i++) {
      const port = options.basePort + i;
      const url = `http://127.0.0.1:${port}`;
      const child = spawn(
        process.execPath,
        ["scripts/serve.mjs", "--port", String(port), ...(options.cpuProfileDir ? ["--cpu-prof", options.cpuProfileDir] : [])],
        {
          stdio: ["ignore", "ignore", "inherit"],
          env: {
            ...process.env,
            ...stripeEnv,
            ...x402Env,
            DATABASE_URL: databaseUrl,
            NEXTAUTH_URL: url,
            NEXTAUTH_SECRET: "bench-secret-bench-secret-bench-secret!!",
            DATABASE_POOL_SIZE: "20",
            WEB_CONCURRENCY: String(options.workers ?? 1),
          },
        },
      );
      children.push(child);
      await waitForHealth(url, child);
      urls.push(url);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { databaseUrl, urls, pids: children.map((c) => c.pid!), stopApps, stop };
}

/** Signs a user in through next-auth's credentials callback; returns the Cookie header to send. */
export async function signIn(base: string, credentials: { email: string; password: string }): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  keep(csrf);
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ ...credentials, csrfToken, json: "true" }),
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.includes("session-token")))
    throw new Error(`signing in as ${credentials.email} failed (${res.status})`);
  return cookie();
}

/** The demo workspace's owner (prisma/seed.ts, DEMO_MODE). */
export const DEMO_OWNER = { email: "demo@creditbook.dev", password: "creditbook-demo" };

export type MeasuredPage = { name: string; slug: string; url: string; cookie?: string };

/** The two pages `npm run lighthouse` and `npm run bench:js` measure: public /pricing and the owner's Billing. */
export async function measuredPages(base: string): Promise<MeasuredPage[]> {
  const cookie = await signIn(base, DEMO_OWNER);
  return [
    { name: "/pricing", slug: "pricing", url: `${base}/pricing` },
    { name: "/settings/billing (signed in)", slug: "billing", url: `${base}/settings/billing`, cookie },
  ];
}
