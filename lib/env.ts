import { z } from "zod";

/**
 * The only place that reads process.env (eslint forbids it elsewhere). Parsed once, lazily, on first
 * use: `next build` imports modules without a database or secrets, and must not fail on them.
 */
const bool = z
  .enum(["1", "0", "true", "false", ""])
  .optional()
  .transform((v) => v === "1" || v === "true");

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z.string().url().optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(10),
    /**
     * The metering hot path's own pool (track, reservations: lib/metering/hot-path.ts), with lock and
     * statement timeouts; a call that waits longer than DATABASE_HOT_WAIT_MS for one of its connections
     * is answered 503 overloaded. docs/decisions/011-running-in-production.md has the pool arithmetic.
     */
    DATABASE_HOT_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(10),
    DATABASE_HOT_WAIT_MS: z.coerce.number().int().min(10).max(60_000).default(2_000),
    /**
     * Admission to the metering hot path per process (lib/metering/admission.ts): at most this many
     * track/reservation calls run at once; the rest wait, round-robin by API key, up to METERING_QUEUE
     * of them and DATABASE_HOT_WAIT_MS each, else 503 overloaded.
     */
    METERING_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(8),
    METERING_QUEUE: z.coerce.number().int().min(0).max(100_000).default(4_096),
    /**
     * How many worker processes `npm start` runs (scripts/server.mjs, node:cluster). Unset: one per core,
     * or one in test mode. Each worker has its own pools: docs/decisions/011-running-in-production.md.
     */
    WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
    NEXTAUTH_URL: z.string().url().default("http://localhost:3000"),
    NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters").optional(),
    /** Shows the demo login on the sign-in page (set by `npm run demo`). */
    DEMO_MODE: bool,
    /** Enables the test clock and test-only routes. Refused when NODE_ENV=production. */
    TEST_MODE: bool,
    /**
     * Test mode only: the jobs worker (scripts/jobs.ts) starts with its clock this many ms ahead, as if
     * it were started that much later (verify's scenario 12 restarts a killed worker past the claim lease).
     * Refused without TEST_MODE, so never in production.
     */
    TEST_CLOCK_OFFSET_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(366 * 86_400_000)
      .optional(),
    /** Run the background jobs (pg-boss) inside the app process. */
    JOBS_IN_PROCESS: bool,
    SIGNUP_BONUS_CREDITS: z.coerce.number().int().min(0).max(1_000_000).default(300),
    DEMO_EMAIL: z.string().email().default("demo@creditbook.dev"),
    DEMO_PASSWORD: z.string().min(8).default("creditbook-demo"),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    /** Reverse proxies in front of the app that append to X-Forwarded-For (scripts/server.mjs, lib/client-address.ts). */
    TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
    /** On SIGTERM, how long requests in flight may take before their connections are closed (scripts/server.mjs). */
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
    /** Stripe secret key (sk_live_… / sk_test_…). Unset: payments are off (the demo and tests set one for the emulator). */
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_(test|live)_\S+$/, "STRIPE_SECRET_KEY must look like sk_test_… or sk_live_…")
      .optional(),
    /** Signing secret of the webhook endpoint (whsec_…), used to verify every delivery. */
    STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_", "STRIPE_WEBHOOK_SECRET must start with whsec_").optional(),
    /** Another Stripe API host, e.g. the local emulator (http://127.0.0.1:12111). Unset: api.stripe.com. */
    STRIPE_API_BASE: z.string().url().optional(),
    /** SMTP server for outgoing mail, e.g. smtps://user:pass@smtp.example.com:465. Unset: mail stays in the outbox (/dev/mail in demo and test mode). */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\/\S+$/, "SMTP_URL must look like smtp://host:587 or smtps://user:pass@host:465")
      .optional(),
    /** The From address of every message. */
    MAIL_FROM: z.string().min(3).default("Creditbook <no-reply@creditbook.local>"),
    /** Pay-per-call with x402 (USDC on Base). Unset: on in development, demo and test mode, off in production. */
    X402_ENABLED: z.enum(["1", "0", "true", "false"]).optional(),
    /** The wallet that receives x402 payments (0x… EVM address). Required when x402 is on in production. */
    X402_PAY_TO: z
      .string()
      .regex(/^0x[0-9a-fA-F]{40}$/, "X402_PAY_TO must be an EVM address (0x followed by 40 hex digits)")
      .optional(),
    /** CAIP-2 network of x402 payments: Base (eip155:8453) or Base Sepolia (eip155:84532) for testing. */
    X402_NETWORK: z.enum(["eip155:8453", "eip155:84532"]).default("eip155:8453"),
    /** The x402 facilitator that verifies and settles payments (e.g. the local emulator, http://127.0.0.1:12112). */
    X402_FACILITATOR_URL: z.string().url().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.TEST_MODE && v.NODE_ENV === "production") {
      ctx.addIssue({ code: "custom", path: ["TEST_MODE"], message: "TEST_MODE is refused when NODE_ENV=production" });
    }
    if (v.TEST_MODE && (v.WEB_CONCURRENCY ?? 1) > 1) {
      ctx.addIssue({
        code: "custom",
        path: ["WEB_CONCURRENCY"],
        message: "test mode runs one process (the test clock lives in it): unset WEB_CONCURRENCY or set it to 1",
      });
    }
    if (v.TEST_CLOCK_OFFSET_MS !== undefined && !v.TEST_MODE) {
      ctx.addIssue({
        code: "custom",
        path: ["TEST_CLOCK_OFFSET_MS"],
        message: "TEST_CLOCK_OFFSET_MS moves the clock: it needs TEST_MODE=1 (refused in production); unset it",
      });
    }
    // The demo (DEMO_MODE) shows demo passwords on the sign-in page and every mail — password resets
    // included — at /dev/mail: on a server others can reach, that hands out accounts. In a production
    // build it is allowed only on this machine (the demo's http://localhost:3000) and with a secret of its own.
    if (v.DEMO_MODE && v.NODE_ENV === "production") {
      if (!isLoopbackUrl(v.NEXTAUTH_URL)) {
        ctx.addIssue({
          code: "custom",
          path: ["DEMO_MODE"],
          message: `DEMO_MODE is refused when NODE_ENV=production and NEXTAUTH_URL (${v.NEXTAUTH_URL}) is not on this machine: it shows every mail at /dev/mail. Unset DEMO_MODE`,
        });
      }
      if (!v.NEXTAUTH_SECRET)
        ctx.addIssue({
          code: "custom",
          path: ["NEXTAUTH_SECRET"],
          message: "set it with DEMO_MODE when NODE_ENV=production (npm run demo makes one)",
        });
    }
    const productionX402 = v.NODE_ENV === "production" && !v.DEMO_MODE && !v.TEST_MODE;
    if (productionX402 && (v.X402_ENABLED === "1" || v.X402_ENABLED === "true")) {
      if (!v.X402_PAY_TO)
        ctx.addIssue({ code: "custom", path: ["X402_PAY_TO"], message: "set it with X402_ENABLED: payments need a receiving wallet" });
      if (!v.X402_FACILITATOR_URL)
        ctx.addIssue({
          code: "custom",
          path: ["X402_FACILITATOR_URL"],
          message: "set it with X402_ENABLED: payments are verified and settled by a facilitator",
        });
    }
    if (v.STRIPE_SECRET_KEY && !v.STRIPE_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["STRIPE_WEBHOOK_SECRET"],
        message: "set it with STRIPE_SECRET_KEY: webhooks cannot be verified without it",
      });
    }
  });

export type Env = z.infer<typeof schema>;

let parsed: Env | undefined;

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

/** Validated configuration. Throws with every problem listed if the environment is invalid. */
export const env: Env = new Proxy({} as Env, {
  get(_target, key: string) {
    parsed ??= loadEnv();
    return parsed[key as keyof Env];
  },
});

/** The database URL, or a clear error when it is missing. */
export function databaseUrl(): string {
  if (!env.DATABASE_URL) {
    throw new Error("DATABASE_URL is not set. `npm run demo` starts an embedded PostgreSQL and sets it for you.");
  }
  return env.DATABASE_URL;
}

/** Secret for session cookies. Required in production (the demo included); a fixed development value elsewhere. */
export function authSecret(): string {
  if (env.NEXTAUTH_SECRET) return env.NEXTAUTH_SECRET;
  if (env.NODE_ENV === "production") throw new Error("NEXTAUTH_SECRET must be set in production (openssl rand -base64 32).");
  return "creditbook-development-secret-not-for-production-use";
}

/** Is the URL's host this machine (localhost, 127.0.0.0/8, ::1)? */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
    return host === "localhost" || host.endsWith(".localhost") || /^127(\.\d{1,3}){3}$/.test(host) || host === "::1";
  } catch {
    return false;
  }
}

/** A wallet nobody holds the key of: where demo and test x402 payments go when X402_PAY_TO is unset. */
export const X402_DEMO_PAY_TO = "0x000000000000000000000000000000000000c0de";

export type X402Config = { enabled: boolean; payTo: string; network: "eip155:8453" | "eip155:84532"; facilitatorUrl: string | null };

/**
 * x402 pay-per-call settings. On by default outside production (development, `npm run demo`, tests),
 * off by default in production; X402_ENABLED decides when set. Off whenever no facilitator is configured.
 */
export function x402Config(e: Env = env): X402Config {
  const explicit = e.X402_ENABLED;
  const byDefault = e.NODE_ENV !== "production" || e.DEMO_MODE || e.TEST_MODE;
  const wanted = explicit === undefined ? byDefault : explicit === "1" || explicit === "true";
  return {
    enabled: wanted && Boolean(e.X402_FACILITATOR_URL),
    payTo: (e.X402_PAY_TO ?? X402_DEMO_PAY_TO).toLowerCase(),
    network: e.X402_NETWORK,
    facilitatorUrl: e.X402_FACILITATOR_URL ?? null,
  };
}

/** An absolute URL of this app (NEXTAUTH_URL is its public base): appUrl("/settings/billing"). */
export function appUrl(path = ""): string {
  return `${env.NEXTAUTH_URL.replace(/\/$/, "")}${path}`;
}
