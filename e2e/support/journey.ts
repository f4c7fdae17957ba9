import fs from "node:fs";
import path from "node:path";
import type { Page, TestInfo } from "@playwright/test";

const WIDTHS = { mobile: 390, desktop: 1440 } as const;

/**
 * A step of a journey, captured at phone and desktop widths. With CAPTURE_JOURNEYS=1 the PNGs go to
 * docs/screenshots/journeys/ (committed: what the README and reviewers look at); otherwise into the
 * test's own output folder, so the suite never changes the checkout.
 */
export async function captureStep(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const size = page.viewportSize() ?? { width: 1280, height: 720 };
  const dir = process.env.CAPTURE_JOURNEYS === "1" ? path.join(process.cwd(), "docs/screenshots/journeys") : testInfo.outputPath("journey");
  fs.mkdirSync(dir, { recursive: true });
  for (const [label, width] of Object.entries(WIDTHS)) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({
      path: path.join(dir, `${name}-${label}.png`),
      fullPage: label === "mobile" ? false : true,
      animations: "disabled",
    });
  }
  await page.setViewportSize(size);
}
