#!/usr/bin/env node
// npm test — every tier, in order: lint, typecheck, client build, unit + integration (vitest, real PostgreSQL),
// next build, e2e (Playwright, real Chromium). Ends with one line: `N passed, N failed[, N skipped]`,
// counted from the runners' JSON reports and summed over tiers. Exits non-zero if any step fails.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const REPORTS = ".reports";
fs.rmSync(REPORTS, { recursive: true, force: true });
fs.mkdirSync(REPORTS, { recursive: true });

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const bin = (name) => `node_modules/.bin/${name}`;
const steps = [
  { name: "lint", cmd: [bin("eslint"), ".", "--max-warnings", "0"] },
  { name: "format", cmd: [bin("prettier"), "--check", ".", "--log-level", "warn"] },
  { name: "typecheck", cmd: [bin("tsc"), "--noEmit"] },
  // The typed client builds on its own (its tsconfig has no Node types: fetch only).
  { name: "client build", cmd: [bin("tsc"), "-p", "packages/client"] },
  {
    name: "unit + integration",
    cmd: [bin("vitest"), "run", "--reporter=default", "--reporter=json", `--outputFile.json=${REPORTS}/vitest.json`],
  },
  { name: "build", cmd: [bin("next"), "build"], env: { NODE_ENV: "production" } },
  { name: "e2e", cmd: [bin("playwright"), "test"], needs: "build" },
];

const failedSteps = [];
const timings = [];
for (const step of steps) {
  if (step.needs && failedSteps.includes(step.needs)) {
    console.log(`\n━━ ${step.name}: not run, ${step.needs} failed`);
    failedSteps.push(step.name);
    continue;
  }
  console.log(`\n━━ ${step.name}: ${step.cmd.join(" ")}`);
  const started = Date.now();
  const r = spawnSync(step.cmd[0], step.cmd.slice(1), { stdio: "inherit", env: { ...env, ...step.env } });
  timings.push(`${step.name} ${((Date.now() - started) / 1000).toFixed(1)}s`);
  if (r.status !== 0) failedSteps.push(step.name);
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
const vitest = readJson(`${REPORTS}/vitest.json`);
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  failed += vitest.numFailedTests ?? 0;
  skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
}
const playwright = readJson(`${REPORTS}/playwright.json`);
if (playwright?.stats) {
  passed += (playwright.stats.expected ?? 0) + (playwright.stats.flaky ?? 0);
  failed += playwright.stats.unexpected ?? 0;
  skipped += playwright.stats.skipped ?? 0;
}

console.log(`\n━━ steps: ${timings.join(", ")}`);
if (failedSteps.length > 0) console.log(`━━ failed steps: ${failedSteps.join(", ")}`);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
process.exit(failedSteps.length > 0 || failed > 0 ? 1 : 0);
