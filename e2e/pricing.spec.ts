import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { sql } from "./support/services";

const usd = (cents: number) =>
  new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: cents % 100 === 0 ? 0 : 2 }).format(
    cents / 100,
  );
const n = (x: number) => x.toLocaleString("en-US");

const estimator = (page: Page) => page.getByRole("region", { name: "How much will I use?" });

test("shows every active plan, pack and action price from the database", async ({ page }) => {
  const plans = await sql<{
    id: string;
    name: string;
    monthlyCredits: number | null;
    priceMonthlyCents: number;
    contactSales: boolean;
    trialDays: number;
  }>(`SELECT id, name, "monthlyCredits", "priceMonthlyCents", "contactSales", "trialDays" FROM "Plan" WHERE active`);
  const packs = await sql<{ name: string; credits: number; priceCents: number; validityDays: number | null }>(
    `SELECT name, credits, "priceCents", "validityDays" FROM "CreditPack" WHERE active`,
  );
  const actions = await sql<{ actionKey: string; name: string; credits: number; sync: boolean }>(
    `SELECT * FROM (SELECT DISTINCT ON ("actionKey") "actionKey", name, credits, sync, active FROM "ActionPrice"
       WHERE "effectiveFrom" <= now() ORDER BY "actionKey", version DESC) latest WHERE active AND "actionKey" NOT LIKE 'e2e.%'`,
  );
  expect(plans.length).toBeGreaterThanOrEqual(5);
  expect(packs.length).toBeGreaterThanOrEqual(3);
  expect(actions.length).toBeGreaterThanOrEqual(10);

  await page.goto("/pricing");
  await expect(page.getByRole("heading", { name: "Pricing", level: 1 })).toBeVisible();

  const planSection = page.getByRole("region", { name: "Plans" });
  for (const plan of plans) {
    const card = planSection.getByRole("listitem", { name: plan.name, exact: true });
    await expect(card).toContainText(usd(plan.priceMonthlyCents));
    await expect(card).toContainText(plan.monthlyCredits === null ? "Unlimited" : `${n(plan.monthlyCredits)} credits/month`);
    if (plan.contactSales)
      await expect(card.getByRole("link", { name: `Contact sales about ${plan.name}` })).toHaveAttribute(
        "href",
        `/contact-sales?plan=${plan.id}&from=pricing`,
      );
    else
      await expect(card.getByRole("link", { name: new RegExp(`(Start free on|Get started with) ${plan.name}`) })).toHaveAttribute(
        "href",
        "/signup",
      );
    if (plan.trialDays > 0) await expect(card).toContainText(`${plan.trialDays}-day trial`);
  }
  // Annual billing with its monthly equivalent and saving (seeded: 10 × monthly).
  await expect(planSection.getByRole("listitem", { name: "Starter", exact: true })).toContainText(
    "or $99.90 a year ($8.33/month) · save $19.98 (17%)",
  );
  await expect(planSection.getByRole("listitem", { name: "Pro", exact: true })).toContainText("$0.0058");

  const packSection = page.getByRole("region", { name: "Credit packs" });
  for (const pack of packs) {
    const card = packSection.getByRole("listitem", { name: pack.name, exact: true });
    await expect(card).toContainText(`${n(pack.credits)} credits`);
    await expect(card).toContainText(usd(pack.priceCents));
    await expect(card).toContainText(pack.validityDays ? `Valid for ${pack.validityDays} days` : "Credits never expire");
  }

  const table = page.getByRole("table", { name: "Credits and dollars charged for each action" });
  // (Rows of the price-edit test's throwaway action may come and go meanwhile.)
  await expect(table.getByRole("row").filter({ hasNotText: "e2e.pricing_" })).toHaveCount(actions.length + 1);
  for (const action of actions) {
    const row = table.getByRole("row").filter({ has: page.getByText(action.actionKey, { exact: true }) });
    await expect(row.getByRole("rowheader")).toContainText(action.name);
    const cells = row.getByRole("cell");
    await expect(cells.nth(1)).toHaveText(n(action.credits));
    await expect(cells.nth(2)).toHaveText(action.credits === 0 ? "Free" : usd(action.credits));
    await expect(cells.nth(3)).toHaveText(action.sync ? "Sync" : "Async");
  }
  const stems = table.getByRole("row").filter({ has: page.getByText("stems.separate", { exact: true }) });
  await expect(stems.getByRole("cell").last()).toHaveText("holds 15");
});

test("a price edit shows on the next request", async ({ page }) => {
  // A throwaway action of its own, so no other test's prices move.
  const key = `e2e.pricing_${randomUUID().slice(0, 8)}`;
  const name = `Probe ${key.slice(-8)}`;
  const insert = (version: number, credits: number) =>
    sql(
      `INSERT INTO "ActionPrice" (id, "actionKey", version, name, category, credits, "effectiveFrom") VALUES ($1, $2, $3, $4, 'OTHER', $5, $6)`,
      [`${key}-v${version}`, key, version, name, credits, new Date(Date.UTC(2000, 0, version))],
    );
  try {
    await insert(1, 7);
    await page.goto("/pricing");
    const row = page.getByRole("row").filter({ has: page.getByText(key, { exact: true }) });
    await expect(row.getByRole("cell").nth(1)).toHaveText("7");
    await expect(row.getByRole("cell").nth(2)).toHaveText("$0.07");
    await expect(estimator(page).getByLabel(name)).toBeVisible();

    await insert(2, 1_250);
    await page.reload();
    await expect(row.getByRole("cell").nth(1)).toHaveText("1,250");
    await expect(row.getByRole("cell").nth(2)).toHaveText("$12.50");
    // The estimator prices the new version too.
    await estimator(page).getByRole("button", { name: "Clear all counts" }).click();
    await estimator(page).getByLabel(name).fill("2");
    await expect(estimator(page).getByTestId("estimate-credits")).toHaveText("2,500");
  } finally {
    await sql(`DELETE FROM "ActionPrice" WHERE "actionKey" = $1`, [key]);
  }
});

test.describe("the estimator", () => {
  const expected = [
    { profile: "Curious user", credits: "30", plan: "Free", share: "30% of 100" },
    { profile: "Solo artist", credits: "165", plan: "Starter", share: "16.5% of 1,000" },
    { profile: "Manager / DIY label", credits: "935", plan: "Pro", share: "18.7% of 5,000" },
    { profile: "Label", credits: "2,950", plan: "Pro", share: "59% of 5,000" },
  ];

  test("recommends the expected plan for each of the seed's profiles", async ({ page }) => {
    await page.goto("/pricing");
    const box = estimator(page);
    for (const e of expected) {
      await box.getByRole("radio", { name: e.profile, exact: true }).check();
      await expect(box.getByRole("radio", { name: e.profile, exact: true })).toBeChecked();
      await expect(box.getByRole("status")).toHaveText(`${e.credits} credits a month, ${e.plan} recommended`);
      await expect(box.getByTestId("recommended-plan")).toHaveText(e.plan);
      await expect(box.getByRole("meter", { name: `Share of ${e.plan}’s monthly allowance` })).toHaveAttribute(
        "aria-valuetext",
        `${e.share} credits`,
      );
    }
    // The manager profile is 93.5 % of Starter: Pro keeps it under the 80 % mark, Starter is listed as a cheaper alternative.
    await box.getByRole("radio", { name: "Manager / DIY label", exact: true }).check();
    await expect(box.getByTestId("recommendation-reason")).toContainText("Starter would be 93.5% full");
    await expect(box.getByRole("listitem").filter({ hasText: "Starter" }).first()).toContainText("$9.99");
    await expect(box.getByTestId("usual-plan-note")).toHaveCount(0);
    // The label profile usually sits on Scale, which is more than it needs.
    await box.getByRole("radio", { name: "Label", exact: true }).check();
    await expect(box.getByTestId("usual-plan-note")).toContainText("Why not Scale?");
    await expect(box.getByTestId("usual-plan-note")).toContainText("Pro covers it for $29 a month instead of $99");
    await expect(box.getByRole("link", { name: "Get started with Pro" })).toHaveAttribute("href", "/signup");
  });

  test("updates the credits as you type and validates the counts", async ({ page }) => {
    await page.goto("/pricing");
    const box = estimator(page);
    await box.getByRole("button", { name: "Clear all counts" }).click();
    await expect(box.getByRole("radio", { name: "Your own numbers" })).toBeChecked();
    await expect(box.getByTestId("estimate-credits")).toHaveText("0");
    await expect(box.getByTestId("recommended-plan")).toHaveText("Free");

    await box.getByLabel("Video generation").fill("10");
    await expect(box.getByTestId("estimate-credits")).toHaveText("200");
    await expect(box.getByTestId("recommended-plan")).toHaveText("Starter");

    await box.getByLabel("Aria chat conversation").fill("3800");
    await expect(box.getByTestId("estimate-credits")).toHaveText("4,000");
    await expect(box.getByTestId("recommended-plan")).toHaveText("Pro");
    await box.getByLabel("Aria chat conversation").fill("3801");
    await expect(box.getByTestId("recommended-plan")).toHaveText("Scale");

    const chat = box.getByLabel("Aria chat conversation");
    await chat.fill("-5");
    await expect(chat).toHaveAttribute("aria-invalid", "true");
    await expect(chat).toHaveAccessibleDescription(/Can’t be negative/);
    await expect(box.getByTestId("estimate-credits")).toHaveText("200");
    await chat.fill("2.5");
    await expect(chat).toHaveAccessibleDescription(/Enter a whole number/);
    await chat.fill("2000000");
    await expect(chat).toHaveAccessibleDescription(/At most 1,000,000 a month/);
    await chat.fill("5");
    await expect(chat).not.toHaveAttribute("aria-invalid", "true");
    await expect(box.getByTestId("estimate-credits")).toHaveText("205");

    // Choosing a profile again replaces the counts.
    await box.getByRole("radio", { name: "Solo artist", exact: true }).check();
    await expect(box.getByLabel("Aria chat conversation")).toHaveValue("60");
    await expect(box.getByTestId("estimate-credits")).toHaveText("165");
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the plans, packs and prices are all there, and the estimator shows its first profile", async ({ page }) => {
    await page.goto("/pricing");
    await expect(page.getByRole("listitem", { name: "Scale", exact: true })).toContainText("$99");
    await expect(page.getByRole("listitem", { name: "Growth pack", exact: true })).toContainText("5,000 credits");
    await expect(page.getByRole("row").filter({ hasText: "video.generate" }).getByRole("cell").last()).toHaveText("holds 20");
    await expect(estimator(page).getByTestId("estimate-credits")).toHaveText("165");
    await expect(estimator(page).getByTestId("recommended-plan")).toHaveText("Starter");
  });
});

test("the landing page and the API reference link to the pricing page", async ({ page }) => {
  await page.goto("/");
  // The footer names every public page, reachable from the home page too.
  const footer = page.getByRole("navigation", { name: "Footer" });
  for (const [name, href] of [
    ["Pricing", "/pricing"],
    ["API docs", "/docs/api"],
    ["Contact sales", "/contact-sales"],
    ["Sign in", "/login"],
  ] as const) {
    await expect(footer.getByRole("link", { name, exact: true })).toHaveAttribute("href", href);
  }
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Pricing" }).click();
  await expect(page).toHaveURL(/\/pricing$/);
  await expect(page.getByRole("heading", { name: "Pricing", level: 1 })).toBeVisible();
  await page.goto("/docs/api");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Pricing" }).click();
  await expect(page.getByRole("heading", { name: "Pricing", level: 1 })).toBeVisible();
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the page does not scroll sideways and the price table restacks", async ({ page }) => {
    for (const path of ["/pricing", "/", "/docs/api"]) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
      await expect(page.getByRole("link", { name: "Pricing" }).first()).toBeInViewport();
    }
    await page.goto("/pricing");
    // Credits and price stay on screen; category, sync/async and the reserve fold under the action's name.
    const video = page.getByRole("row").filter({ has: page.getByText("video.generate", { exact: true }) });
    await expect(video.getByRole("rowheader")).toContainText("Video generation · async, holds 20");
    await expect(video.getByRole("cell")).toHaveText(["20", "$0.20"]);
    const box = await video.getByRole("cell").last().boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    // The estimator still works at this width.
    await estimator(page).getByRole("radio", { name: "Label", exact: true }).check();
    await expect(estimator(page).getByTestId("recommended-plan")).toHaveText("Pro");
  });
});

test("explains pay-per-call for agents with x402, and the status endpoint says it is on", async ({ page, request }) => {
  await page.goto("/pricing");
  const agents = page.getByRole("region", { name: "Pay per call for agents" });
  await expect(agents).toContainText("USDC on Base Sepolia");
  await expect(agents).toContainText("1 credit = $0.01");
  await expect(agents.getByRole("listitem")).toHaveCount(3);
  await expect(agents).toContainText("PAYMENT-SIGNATURE");
  await expect(agents.getByRole("link", { name: "/api/x402/status" })).toHaveAttribute("href", "/api/x402/status");
  const status = await (await request.get("/api/x402/status")).json();
  expect(status).toMatchObject({ enabled: true, network: "eip155:84532", token: "USDC", pricing_model: "ceiling-quote" });
});
