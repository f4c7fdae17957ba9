// npm run screenshots — full-page screenshots of every page at phone (390 px) and desktop (1440 px)
// widths into docs/screenshots/, from the production build on an embedded PostgreSQL with the demo
// data (the customer pages as the demo user, the operator console as the demo admin). The README links
// them; rerun after changing a page.
//   npm run screenshots [-- --only billing]   (or several: --only contact-sales,admin-leads)
import fs from "node:fs";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { signIn, startApp } from "./app-harness.ts";
import { CHROMIUM_ARGS, findChromium } from "../e2e/support/browser.ts";
import { payWithX402 } from "./x402-demo-payments.ts";
import { sendDemoLeads } from "./sales-demo-leads.ts";
import { recordDemoPastUsage } from "./past-usage-demo.ts";

const { values: args } = parseArgs({ options: { only: { type: "string" }, port: { type: "string", default: "3280" } } });
const OUT = "docs/screenshots";
const WIDTHS = [
  { name: "mobile", width: 390, height: 844 },
  { name: "desktop", width: 1440, height: 900 },
];
const DEMO = { email: "demo@creditbook.dev", password: "creditbook-demo" };
const ADMIN = { email: "admin@creditbook.dev", password: "creditbook-admin" };

type Shot = {
  slug: string;
  title: string;
  path: string | ((ctx: { demoWorkspaceId: string; lastPeriod: { from: string; to: string } }) => string);
  as?: "demo" | "admin";
};
const PAGES: Shot[] = [
  { slug: "home", title: "Home", path: "/" },
  { slug: "pricing", title: "Pricing and estimator", path: "/pricing" },
  { slug: "contact-sales", title: "Contact sales", path: "/contact-sales?plan=enterprise&from=pricing" },
  { slug: "docs-api", title: "API reference", path: "/docs/api" },
  { slug: "login", title: "Sign in", path: "/login" },
  { slug: "signup", title: "Sign up", path: "/signup" },
  { slug: "forgot-password", title: "Forgot password", path: "/forgot-password" },
  { slug: "mail-outbox", title: "Demo mail outbox", path: "/dev/mail" },
  { slug: "billing", title: "Settings → Billing", path: "/settings/billing", as: "demo" },
  {
    slug: "billing-past-period",
    title: "Settings → Billing, an earlier period",
    path: ({ lastPeriod }) => `/settings/billing?period=${lastPeriod.from}`,
    as: "demo",
  },
  { slug: "usage", title: "Settings → Usage history", path: "/settings/usage", as: "demo" },
  {
    slug: "usage-last-period",
    title: "Settings → Usage, last period by member",
    path: ({ lastPeriod }) => `/settings/usage?from=${lastPeriod.from}&to=${lastPeriod.to}&group=member`,
    as: "demo",
  },
  { slug: "alerts", title: "Settings → Alerts", path: "/settings/alerts", as: "demo" },
  { slug: "api-keys", title: "Settings → API keys", path: "/settings/api-keys", as: "demo" },
  { slug: "members", title: "Settings → Members", path: "/settings/members", as: "demo" },
  { slug: "data", title: "Settings → Data", path: "/settings/data", as: "demo" },
  { slug: "account", title: "Settings → Account", path: "/settings/account", as: "demo" },
  { slug: "admin-overview", title: "Admin: overview", path: "/admin", as: "admin" },
  { slug: "admin-workspaces", title: "Admin: workspaces", path: "/admin/workspaces", as: "admin" },
  {
    slug: "admin-workspace",
    title: "Admin: one workspace",
    path: ({ demoWorkspaceId }) => `/admin/workspaces/${demoWorkspaceId}`,
    as: "admin",
  },
  {
    slug: "admin-ledger",
    title: "Admin: ledger explorer",
    path: ({ demoWorkspaceId }) => `/admin/ledger?workspace=${demoWorkspaceId}`,
    as: "admin",
  },
  { slug: "admin-prices", title: "Admin: price table", path: "/admin/prices", as: "admin" },
  { slug: "admin-price-history", title: "Admin: a price's versions", path: "/admin/prices/image.generate", as: "admin" },
  { slug: "admin-catalog", title: "Admin: plans and packs", path: "/admin/catalog", as: "admin" },
  { slug: "admin-keys", title: "Admin: platform keys", path: "/admin/keys", as: "admin" },
  { slug: "admin-stripe", title: "Admin: Stripe events", path: "/admin/stripe", as: "admin" },
  { slug: "admin-audit", title: "Admin: audit log", path: "/admin/audit", as: "admin" },
  { slug: "admin-x402", title: "Admin: x402 payments", path: "/admin/x402", as: "admin" },
  { slug: "admin-leads", title: "Admin: sales leads", path: "/admin/leads", as: "admin" },
];
const only = args.only?.split(",").filter(Boolean);
const wanted = (slug: string) => !only || only.some((o) => slug.includes(o));

/** docs/screenshots/README.md: every page's two screenshots side by side. */
function writeIndex() {
  const rows = PAGES.filter((p) => fs.existsSync(`${OUT}/${p.slug}-desktop.png`)).map(
    (p) =>
      `| ${p.title} | <img src="${p.slug}-mobile.png" alt="${p.title}, 390 px wide" width="180"> | <img src="${p.slug}-desktop.png" alt="${p.title}, 1440 px wide" width="560"> |`,
  );
  const text = [
    "# Screenshots",
    "",
    "Every page of the demo (`npm run demo`) at a phone width (390 px) and a desktop width (1440 px), full page.",
    "Regenerate with `npm run screenshots` after changing a page.",
    "",
    "| Page | Mobile (390 px) | Desktop (1440 px) |",
    "| --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
  fs.writeFileSync(`${OUT}/README.md`, text);
}

async function main() {
  process.env.DEMO_MODE = "1";
  const app = await startApp({ name: "screenshots", instances: 1, basePort: Number(args.port), stripe: true, x402: true });
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  try {
    const base = app.urls[0]!;
    const { db, closeDb } = await import("../lib/db.ts");
    const demo = await db.membership.findFirstOrThrow({
      where: { user: { email: DEMO.email } },
      select: { workspaceId: true, userId: true },
    });
    // Agents paying over HTTP, so the x402 page has something to show.
    if (wanted("admin-x402")) await payWithX402(base);
    // Contact sales requests, so the leads page (and the overview's open count) has something to show.
    if (wanted("admin-leads") || wanted("admin-overview"))
      await sendDemoLeads({ email: DEMO.email, userId: demo.userId, workspaceId: demo.workspaceId });
    // Last month's usage, so the past-period views have something to show (the demo seed has this month only).
    const lastPeriod = await recordDemoPastUsage(demo);
    await closeDb();
    const cookies = { demo: await signIn(base, DEMO), admin: await signIn(base, ADMIN) };
    fs.mkdirSync(OUT, { recursive: true });
    for (const shot of PAGES.filter((p) => wanted(p.slug))) {
      const path = typeof shot.path === "function" ? shot.path({ demoWorkspaceId: demo.workspaceId, lastPeriod }) : shot.path;
      for (const size of WIDTHS) {
        const context = await browser.newContext({
          viewport: { width: size.width, height: size.height },
          locale: "en-US",
          timezoneId: "America/New_York",
        });
        if (shot.as) {
          await context.addCookies(
            cookies[shot.as].split("; ").map((pair) => {
              const at = pair.indexOf("=");
              return { name: pair.slice(0, at), value: pair.slice(at + 1), url: base };
            }),
          );
        }
        const page = await context.newPage();
        const res = await page.goto(`${base}${path}`, { waitUntil: "networkidle" });
        if (!res || res.status() !== 200 || new URL(page.url()).pathname !== new URL(path, base).pathname) {
          throw new Error(`${path} answered ${res?.status()} at ${page.url()}`);
        }
        // A full-page capture reaches past the viewport, where sections marked render-when-visible are
        // not drawn yet: draw them all.
        await page.addStyleTag({ content: ".render-when-visible { content-visibility: visible !important; }" });
        // Charts load as they scroll into view: scroll through the page so every one is drawn.
        await page.evaluate(async () => {
          for (let y = 0; y < document.body.scrollHeight; y += 600) {
            window.scrollTo(0, y);
            await new Promise((r) => requestAnimationFrame(() => r(null)));
          }
          window.scrollTo(0, 0);
        });
        // …and wait until each has drawn its SVG.
        await page.waitForFunction(
          () => [...document.querySelectorAll("[data-chart]")].every((c) => c.querySelector("svg.recharts-surface")),
          undefined,
          { timeout: 15_000 },
        );
        const file = `${OUT}/${shot.slug}-${size.name}.png`;
        await page.screenshot({ path: file, fullPage: true });
        console.log(`  ${file}`);
        await context.close();
      }
    }
    writeIndex();
  } finally {
    await browser.close();
    await app.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
