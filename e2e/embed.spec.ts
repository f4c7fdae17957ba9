import fs from "node:fs";
import path from "node:path";
import { randomInt, randomUUID } from "node:crypto";
import type { Browser, FrameLocator, Page, TestInfo } from "@playwright/test";
import { Creditbook, createPortalSession } from "../packages/client/src/index";
import { ADMIN, expect, signIn, signUp, test, uniqueEmail } from "./support/fixtures";
import { E2E_APP_PORT, sql } from "./support/services";
import { startHost, type Host } from "./support/embed-host";
import { violations } from "./support/axe";

// Billing inside the AI product (issue 23): a small product on another port (e2e/support/embed-host.ts)
// embeds the panel through <CreditbookBilling>, with a session its backend made with createPortalSession.
// The product's page is http://localhost:<port> (the key's allowed origin); Creditbook is
// http://127.0.0.1:<app port>: another site, so the panel is a third-party frame.

const APP = `http://127.0.0.1:${E2E_APP_PORT}`;
// A purchase round trip (Creditbook → Stripe's window → the webhook and the return page → the panel's
// refresh) on a busy 2-core machine: generous, never a fixed wait.
const SLOW = { timeout: 30_000 };

let host: Host;

async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await page.context().setExtraHTTPHeaders({ "x-forwarded-for": `10.${randomInt(256)}.${randomInt(256)}.${1 + randomInt(254)}` });
  return page;
}

// One workspace per worker: its owner signs up, makes a workspace key for "Patchline" in Settings → API
// keys and allows the product's origin there. Each test makes its own sessions.
test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await newPage(browser);
  await signUp(page, uniqueEmail("embed-owner"), "Embed Owner");
  await page.goto("/settings/api-keys");
  await page.getByLabel("Key name").fill("Patchline backend");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = await page.getByLabel("New API key").inputValue();
  expect(key).toMatch(/^cb_live_/);
  host = await startHost({ appUrl: APP, apiKey: key });
  const origins = page.getByLabel("Embed origins for Patchline backend");
  await origins.fill(host.allowed);
  await page.getByRole("button", { name: "Save the embed origins of Patchline backend" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Embed origins saved." })).toBeVisible();
  await page.reload();
  await expect(origins).toHaveValue(host.allowed);
  await page.close();
});

test.afterAll(async () => {
  await host?.close();
});

const panelOf = (page: Page): FrameLocator => page.frameLocator('iframe[title="Billing"]');
const events = (page: Page) => page.getByRole("region", { name: "Panel events" }).getByRole("listitem");

async function remainingIn(panel: FrameLocator): Promise<number> {
  const text = await panel.getByRole("group", { name: "Credits remaining" }).locator("p").nth(1).innerText();
  return Number(text.replace(/[^0-9]/g, ""));
}

test("the product's page shows the panel through <CreditbookBilling>: the balance, sized to its content, without cookies", async ({
  page,
  browser,
}) => {
  // Third-party cookies are blocked in this browser: a SameSite=None cookie set inside a frame of
  // another site is not kept, while the same response kept it as a first-party page.
  await page.goto(`${host.other}/frame?src=${encodeURIComponent(`${host.allowed}/cookie-probe`)}`);
  await expect(page.frameLocator('iframe[title="probe"]').getByText("cookie probe")).toBeVisible();
  expect(await page.context().cookies(host.allowed)).toEqual([]);
  const control = await browser.newContext();
  await (await control.newPage()).goto(`${host.allowed}/cookie-probe`);
  expect((await control.cookies(host.allowed)).map((c) => c.name)).toEqual(["probe"]);
  await control.close();

  // What the panel's requests to Creditbook carry and receive: no cookie either way.
  const cookies: string[] = [];
  page.on("request", (req) => {
    if (req.url().startsWith(APP) && req.headers().cookie) cookies.push(`${req.url()} sent ${req.headers().cookie}`);
  });
  page.on("response", async (res) => {
    if (res.url().startsWith(APP) && (await res.headerValue("set-cookie"))) cookies.push(`${res.url()} set a cookie`);
  });

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${host.allowed}/?role=owner`);
  const panel = panelOf(page);
  await expect(panel.getByRole("group", { name: "Credits remaining" })).toContainText(/\d/);
  await expect(panel.getByRole("progressbar", { name: "Monthly allowance used" })).toBeVisible();
  await expect(panel.getByRole("group", { name: "Resets" })).toBeVisible();
  await expect(panel.getByRole("region", { name: "Usage by action type" })).toBeVisible();
  await expect(panel.getByRole("region", { name: "Recent usage" })).toBeVisible();
  await expect(panel.getByRole("button", { name: /^Buy 1,000 credits/ })).toBeVisible();
  await expect(events(page).first()).toHaveText("ready");

  // Sized to its content: the iframe is as tall as the panel says, and nothing scrolls inside it.
  const iframe = page.locator('iframe[title="Billing"]');
  const fits = async () => {
    const box = await iframe.boundingBox();
    const inner = await panel
      .locator("html")
      .evaluate(() => ({ scroll: document.scrollingElement!.scrollHeight, view: window.innerHeight }));
    const reported = Number(await page.getByLabel("Panel height").innerText());
    return { height: Math.round(box?.height ?? 0), reported, overflow: inner.scroll - inner.view };
  };
  await expect.poll(async () => (await fits()).overflow).toBeLessThanOrEqual(1);
  const wide = await fits();
  expect(wide.height).toBe(wide.reported);
  expect(wide.height).toBeGreaterThan(800);
  // A phone: the cards stack, the panel grows, the iframe follows.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(async () => (await fits()).height).toBeGreaterThan(wide.height);
  await expect.poll(async () => (await fits()).overflow).toBeLessThanOrEqual(1);

  expect(cookies).toEqual([]);
});

test("buying a pack opens Stripe Checkout top-level in a new window, and the panel refreshes when the payment lands", async ({ page }) => {
  await page.goto(`${host.allowed}/?role=owner`);
  const panel = panelOf(page);
  await expect(panel.getByRole("group", { name: "Credits remaining" })).toContainText(/\d/);
  const before = await remainingIn(panel);

  const opened = page.context().waitForEvent("page");
  await panel.getByRole("button", { name: "Buy 1,000 credits for $10" }).click();
  const stripe = await opened;
  await stripe.waitForURL(/\/c\/pay\/cs_/, SLOW);
  // Top-level, cut off from the panel: Stripe's page is its own window, with no handle on ours.
  expect(await stripe.evaluate(() => window.top === window && window.opener === null)).toBe(true);
  await expect(events(page).filter({ hasText: "checkout.opened" })).toHaveText(["checkout.opened starter_1000"]);
  await expect(panel.getByRole("status").filter({ hasText: "Checkout is open in a new window" })).toBeVisible();

  await stripe.getByRole("button", { name: "Pay $10.00" }).click();
  await stripe.waitForURL(/\/portal\/return\?/, SLOW);
  await expect(stripe.getByRole("heading", { name: "Payment received" })).toBeVisible();
  await expect(stripe.getByRole("status")).toContainText("billing in Patchline updates by itself");
  await stripe.close();

  // Back in the product: the panel shows the new balance by itself, and says so to the product.
  await expect(panel.getByRole("group", { name: "Credits remaining" })).toContainText((before + 1000).toLocaleString("en-US"), SLOW);
  await expect(events(page).filter({ hasText: "credits.changed" }).last()).toHaveText(`credits.changed ${before} → ${before + 1000}`);
  await expect(panel.getByRole("status").filter({ hasText: "Checkout is open" })).toHaveCount(0);
});

test.describe("a page on another origin", () => {
  test.use({ allowedConsoleErrors: [/frame-ancestors/] });

  test("cannot frame the panel: its CSP names only the key's origins", async ({ page, request }) => {
    const { url } = await host.client.portalSessions.create({
      user: { id: "u-headers", email: "headers@patchline.test", role: "owner" },
      mode: "embedded",
    });
    const res = await request.get(url);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-security-policy"]?.split("; ")).toContain(`frame-ancestors ${host.allowed}`);
    expect(res.headers()["x-frame-options"]).toBeUndefined();

    const refused = page.waitForEvent("console", (msg) => /frame-ancestors/.test(msg.text()));
    await page.goto(`${host.other}/?role=owner`);
    await refused;
    await expect(panelOf(page).getByRole("group", { name: "Credits remaining" })).toHaveCount(0);
    await expect(events(page)).toHaveCount(0);
  });
});

test.describe("a session that ended", () => {
  // The revoked session's refresh is refused (401), which the browser reports on the console.
  test.use({ allowedConsoleErrors: [/status of 401/] });

  test("used, expired or revoked, asks to reopen billing from the product, and tells the product", async ({ page }) => {
    const create = () =>
      createPortalSession(host.client, {
        user: { id: "u-reuse", email: "reuse@patchline.test", role: "owner" },
        mode: "embedded",
        product_name: "Patchline",
      });
    const open = (url: string) => page.goto(`${host.allowed}/?session=${encodeURIComponent(url)}`);
    const panel = panelOf(page);

    // Used: the second opening of a link is refused.
    const used = await create();
    await open(used.url);
    await expect(panel.getByRole("group", { name: "Credits remaining" })).toBeVisible();
    await open(used.url);
    await expect(panel.getByRole("heading", { name: "This billing link was already used" })).toBeVisible();
    await expect(panel.getByText("Ask Patchline to reopen billing")).toBeVisible();
    await expect(panel.getByRole("group", { name: "Credits remaining" })).toHaveCount(0);
    await expect(events(page).filter({ hasText: "session.expired" })).toHaveText(["session.expired used"]);

    // Expired: a link not opened within its minutes.
    const expired = await create();
    await sql(`UPDATE "PortalSession" SET "tokenExpiresAt" = now() - interval '1 minute' WHERE id = $1`, [expired.id]);
    await open(expired.url);
    await expect(panel.getByRole("heading", { name: "This billing session has expired" })).toBeVisible();
    await expect(events(page).filter({ hasText: "session.expired" })).toHaveText(["session.expired expired"]);

    // Revoked while open: the panel's next refresh is refused and it says the session ended.
    const revoked = await create();
    await open(revoked.url);
    await expect(panel.getByRole("group", { name: "Credits remaining" })).toBeVisible();
    await host.client.portalSessions.revoke(revoked.id);
    await expect(panel.getByRole("heading", { name: "This billing session has expired" })).toBeVisible(SLOW);
    await expect(events(page).filter({ hasText: "session.expired" })).toHaveText(["session.expired expired"]);
  });
});

test("a viewer sees the figures and no buy buttons; a member sees the prices but cannot buy", async ({ page }) => {
  const buying = /^(Buy |Upgrade to |Start \d+-day trial|Manage billing)/;
  await page.goto(`${host.allowed}/?role=viewer`);
  const panel = panelOf(page);
  await expect(panel.getByRole("group", { name: "Credits remaining" })).toContainText(/\d/);
  await expect(panel.getByRole("region", { name: "Usage by action type" })).toBeVisible();
  await expect(panel.getByRole("region", { name: "Recent usage" })).toBeVisible();
  await expect(panel.getByRole("button", { name: buying })).toHaveCount(0);
  await expect(panel.getByRole("region", { name: "Buy credits" })).toHaveCount(0);
  await expect(panel.getByRole("region", { name: "Plans" })).toHaveCount(0);

  await page.goto(`${host.allowed}/?role=member`);
  await expect(panel.getByRole("region", { name: "Buy credits" })).toContainText("Only workspace owners can buy credits.");
  await expect(panel.getByRole("region", { name: "Plans" })).toBeVisible();
  await expect(panel.getByRole("button", { name: buying })).toHaveCount(0);
});

test("the panel has no serious accessibility violations, light or dark, embedded or hosted", async ({ page }) => {
  for (const query of ["role=owner", "role=owner&theme=dark&accent=0d9488"]) {
    await page.goto(`${host.allowed}/?${query}`);
    await expect(panelOf(page).getByRole("group", { name: "Credits remaining" })).toContainText(/\d/);
    await expect(panelOf(page).getByRole("region", { name: "Buy credits" })).toBeVisible();
    expect(await violations(page), query).toEqual([]);
  }
  const { url } = await createPortalSession(host.client, {
    user: { id: "u-axe", email: "axe@patchline.test", role: "member" },
    return_url: `${host.allowed}/settings`,
  });
  await page.goto(url);
  await expect(page.getByRole("group", { name: "Credits remaining" })).toContainText(/\d/);
  expect(await violations(page)).toEqual([]);
});

test("a hosted link is a full page with a way back to the product, framed by nobody", async ({ page }) => {
  const session = await createPortalSession(host.client, {
    user: { id: "u-hosted", email: "hosted@patchline.test", role: "owner" },
    return_url: `${host.allowed}/settings`,
    product_name: "Patchline",
  });
  expect(session.url).toMatch(/\/portal\/[A-Za-z0-9_-]{43}$/);
  const res = await page.goto(session.url);
  expect(res?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  await expect(page.getByRole("heading", { name: "Billing", level: 1 })).toBeVisible();
  await expect(page.getByRole("group", { name: "Credits remaining" })).toContainText(/\d/);
  await expect(page.getByRole("link", { name: "Back to Patchline" })).toHaveAttribute("href", `${host.allowed}/settings`);
  await page.reload();
  await expect(page.getByRole("heading", { name: "This billing link was already used" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Back to Patchline" })).toBeVisible();
});

test("an operator allows a platform key's origins in /admin; that key embeds a customer's workspace named by external_id", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signIn(page, ADMIN);
  await page.goto("/admin/keys");
  const name = `Embed platform ${randomUUID().slice(0, 8)}`;
  await page.getByLabel("Key name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = await page.getByRole("textbox", { name: "New API key" }).inputValue();
  expect(secret).toMatch(/^cb_plat_/);

  const customer = `embed-customer-${randomUUID().slice(0, 8)}`;
  await new Creditbook({ apiKey: secret, baseUrl: APP }).workspaces.upsert(customer, { name: "Embedded Customer" });
  const product = await startHost({ appUrl: APP, apiKey: secret, workspace: { external_id: customer } });
  try {
    const item = page.getByRole("listitem", { name: `Key ${name}` });
    await item.getByLabel(`Embed origins for ${name}`).fill(`${product.allowed}, https://app.example.com/`);
    await item.getByRole("button", { name: `Save the embed origins of ${name}` }).click();
    await expect(item.getByRole("status")).toHaveText("Embed origins saved.");
    await page.reload();
    await expect(item.getByLabel(`Embed origins for ${name}`)).toHaveValue(`${product.allowed}, https://app.example.com`);

    await page.goto(`${product.allowed}/?role=owner`);
    const panel = panelOf(page);
    await expect(panel.getByText("AI credit usage for Embedded Customer")).toBeVisible();
    await expect(panel.getByRole("group", { name: "Credits remaining" })).toContainText(/\d/);
  } finally {
    await product.close();
  }
});

/** Screenshots: PNGs into docs/screenshots/embed/ with CAPTURE_JOURNEYS=1, else into the test's output. */
function shotPath(testInfo: TestInfo, name: string): string {
  const dir = process.env.CAPTURE_JOURNEYS === "1" ? path.join(process.cwd(), "docs/screenshots/embed") : testInfo.outputPath("embed");
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}

test("screenshots: the panel inside the product at 390 and 1440 px, light and dark, and the hosted page", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  // Some usage, so the breakdown, the chart and recent usage have something to show.
  for (const [action, times] of [
    ["aria.chat", 6],
    ["image.generate", 3],
    ["sonic.analysis", 1],
    ["mcp.get_song_intelligence", 2],
    ["campaign.plan", 1],
  ] as const) {
    for (let i = 0; i < times; i++) await host.client.track({ action });
  }
  for (const mode of ["light", "dark"] as const) {
    for (const [label, width] of [
      ["mobile", 390],
      ["desktop", 1440],
    ] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${host.allowed}/?role=owner&theme=${mode}${mode === "dark" ? "&accent=0d9488" : ""}`);
      const panel = panelOf(page);
      await expect(panel.getByRole("group", { name: "Credits remaining" })).toContainText(/\d/);
      // A full-page capture reaches past the window, where the panel's sections marked
      // render-when-visible are not drawn yet (as the screenshots script does): draw them all; and
      // charts draw as they come into view: bring each into view once.
      await page.frame({ url: /\/embed\// })!.addStyleTag({ content: ".render-when-visible { content-visibility: visible !important; }" });
      for (const chart of await panel.locator("[data-chart]").all()) await chart.scrollIntoViewIfNeeded();
      await expect
        .poll(() => panel.locator("[data-chart]").evaluateAll((charts) => charts.every((c) => c.querySelector("svg.recharts-surface"))))
        .toBe(true);
      await page.evaluate(() => window.scrollTo(0, 0));
      // The panel is another site's frame, drawn by its own process only where it is in the window: a
      // window as tall as the page, rather than a full-page capture.
      await page.setViewportSize({ width, height: await page.evaluate(() => document.documentElement.scrollHeight) });
      await expect
        .poll(() => panel.locator("[data-chart]").evaluateAll((charts) => charts.every((c) => c.querySelector("svg.recharts-surface"))))
        .toBe(true);
      await page.screenshot({ path: shotPath(testInfo, `embedded-${mode}-${label}`), animations: "disabled" });
    }
  }
  for (const [label, width] of [
    ["mobile", 390],
    ["desktop", 1440],
  ] as const) {
    await page.setViewportSize({ width, height: 900 });
    const { url } = await createPortalSession(host.client, {
      user: { id: "u-shot", email: "pat@patchline.test", role: "owner" },
      return_url: `${host.allowed}/settings`,
      product_name: "Patchline",
    });
    await page.goto(url);
    await expect(page.getByRole("group", { name: "Credits remaining" })).toContainText(/\d/);
    await page.addStyleTag({ content: ".render-when-visible { content-visibility: visible !important; }" });
    for (const chart of await page.locator("[data-chart]").all()) await chart.scrollIntoViewIfNeeded();
    await expect
      .poll(() => page.locator("[data-chart]").evaluateAll((charts) => charts.every((c) => c.querySelector("svg.recharts-surface"))))
      .toBe(true);
    await page.screenshot({ path: shotPath(testInfo, `hosted-${label}`), fullPage: true, animations: "disabled" });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
  const once = await createPortalSession(host.client, {
    user: { id: "u-shot", email: "pat@patchline.test", role: "owner" },
    mode: "embedded",
    product_name: "Patchline",
  });
  await page.goto(`${host.allowed}/?session=${encodeURIComponent(once.url)}`);
  await expect(panelOf(page).getByRole("group", { name: "Credits remaining" })).toBeVisible();
  await page.reload();
  await expect(panelOf(page).getByRole("heading", { name: "This billing link was already used" })).toBeVisible();
  await page.screenshot({ path: shotPath(testInfo, "embedded-used-desktop"), animations: "disabled" });
});
