import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium } from "./e2e/support/browser";
import {
  E2E_APP_PORT as APP_PORT,
  E2E_DATABASE_URL as databaseUrl,
  E2E_PG_PORT as PG_PORT,
  E2E_STRIPE,
  E2E_X402_FACILITATOR_PORT as X402_PORT,
} from "./e2e/support/services";

const baseURL = `http://127.0.0.1:${APP_PORT}`;
// The local Stripe emulator stands in for Stripe (docs/decisions/005-stripe-emulator.md).
const { port: STRIPE_PORT, webhookSecret: STRIPE_WEBHOOK_SECRET } = E2E_STRIPE;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  forbidOnly: true,
  workers: 2,
  retries: 0,
  // Journeys of several pages with password hashing take 15–25 s on an idle 2-core machine; twice that
  // on a busy one. A minute keeps the suite green on a busy laptop without hiding a hang.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: ".reports/playwright.json" }]],
  use: {
    baseURL,
    // A zone other than the machine's UTC proves dates are shown in the viewer's local time.
    timezoneId: "America/New_York",
    locale: "en-US",
    trace: "retain-on-failure",
    launchOptions: { executablePath: findChromium(), args: CHROMIUM_ARGS },
  },
  // Specs that change what every other spec sees run after them, one project at a time and one file at
  // a time (workers: 1): first those that move the clocks (the app's test clock and the Stripe
  // emulator's), then those that edit global data such as the price table. With two workers, two clock
  // specs ran side by side and one reset the clocks while the other waited for a trial's end.
  projects: [
    { name: "main", testIgnore: /\.(clock|global)\.spec\.ts$/ },
    { name: "clock", testMatch: /\.clock\.spec\.ts$/, dependencies: ["main"], fullyParallel: false, workers: 1 },
    { name: "global", testMatch: /\.global\.spec\.ts$/, dependencies: ["clock"], fullyParallel: false, workers: 1 },
  ],
  // PostgreSQL, the Stripe emulator and the x402 facilitator first, then the built app (which migrates and seeds before it starts).
  webServer: [
    {
      command: `node scripts/pg-server.mjs --dir .data/e2e-pg --port ${PG_PORT} --strict-port --fresh --quiet`,
      port: PG_PORT,
      reuseExistingServer: false,
      timeout: 60_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    },
    {
      command: `node --import tsx scripts/stripe-emulator/main.ts --port ${STRIPE_PORT} --webhook-url ${baseURL}/api/stripe/webhook --webhook-secret ${STRIPE_WEBHOOK_SECRET} --retry-base-ms 250 --quiet`,
      port: STRIPE_PORT,
      reuseExistingServer: false,
      timeout: 60_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
    {
      command: `node --import tsx scripts/x402-facilitator/main.ts --port ${X402_PORT} --quiet`,
      port: X402_PORT,
      reuseExistingServer: false,
      timeout: 60_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
    {
      command: `node scripts/serve.mjs --test --port ${APP_PORT}`,
      url: `${baseURL}/api/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
      env: {
        DATABASE_URL: databaseUrl,
        NEXTAUTH_URL: baseURL,
        NEXTAUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e-secret",
        DEMO_MODE: "1",
        // The specs stand in for a proxy: each test's X-Forwarded-For is its own client address, so
        // per-IP throttles treat parallel tests as different people.
        TRUST_PROXY: "1",
        STRIPE_SECRET_KEY: E2E_STRIPE.key,
        STRIPE_WEBHOOK_SECRET,
        STRIPE_API_BASE: E2E_STRIPE.base,
        X402_FACILITATOR_URL: `http://127.0.0.1:${X402_PORT}`,
        X402_NETWORK: "eip155:84532",
      },
    },
  ],
});
