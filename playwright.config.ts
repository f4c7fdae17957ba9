import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium } from "./e2e/support/browser";

const PG_PORT = 54350;
const APP_PORT = 3100;
const baseURL = `http://127.0.0.1:${APP_PORT}`;
const databaseUrl = `postgresql://postgres:postgres@127.0.0.1:${PG_PORT}/creditbook`;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  forbidOnly: true,
  workers: 2,
  retries: 0,
  timeout: 30_000,
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
  // PostgreSQL first, then the built app (which migrates and seeds before it starts).
  webServer: [
    {
      command: `node scripts/pg-server.mjs --dir .data/e2e-pg --port ${PG_PORT} --strict-port --fresh --quiet`,
      port: PG_PORT,
      reuseExistingServer: false,
      timeout: 60_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
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
      },
    },
  ],
});
