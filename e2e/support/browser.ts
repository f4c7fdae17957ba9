import fs from "node:fs";
import { chromium } from "@playwright/test";

/**
 * Which Chromium the e2e tests drive: the system one (Debian's `chromium`) when present, else
 * Playwright's own download when installed; otherwise stop with one line saying how to get one.
 */
export function findChromium(): string | undefined {
  const system = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((p) => fs.existsSync(p));
  if (system) return system;
  try {
    const bundled = chromium.executablePath();
    if (fs.existsSync(bundled)) return undefined; // Playwright's default
  } catch {
    // not installed
  }
  console.error(
    "No Chromium found: install it with `sudo apt-get install -y chromium` (or `npx playwright install chromium` where downloads work).",
  );
  process.exit(1);
}

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
