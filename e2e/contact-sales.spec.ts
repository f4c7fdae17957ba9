import { randomUUID } from "node:crypto";
import { ADMIN, expect, signIn, signUp, test, uniqueEmail } from "./support/fixtures";
import { captureStep } from "./support/journey";

// Enterprise is sold through sales: its "Contact sales" buttons lead to a real form, whose leads reach
// every operator by mail and in the console (/admin/leads). Issue 18: it used to loop Billing → /pricing → /signup.

test("a signed-in customer contacts sales from Settings → Billing; an operator reads the lead in the console and marks it handled", async ({
  page,
  browser,
}, testInfo) => {
  test.slow(); // two people (a sign-up with its verification, then an operator) and a dozen pages: over 30 s on a busy 2-core machine
  const email = uniqueEmail("prospect");
  const company = `Prospect Audio ${randomUUID().slice(0, 6)}`;
  await signUp(page, email, "Sales Prospect");

  await page.getByRole("region", { name: "Plans" }).getByRole("link", { name: "Contact sales about Enterprise" }).click();
  await page.waitForURL("**/contact-sales?plan=enterprise&from=billing");
  await expect(page.getByRole("heading", { name: "Contact sales", level: 1 })).toBeVisible();
  await expect(page).toHaveTitle("Contact sales · Creditbook");
  // Prefilled from the session, and the workspace the lead will name.
  await expect(page.getByLabel("Your name")).toHaveValue("Sales Prospect");
  await expect(page.getByLabel("Work email")).toHaveValue(email);
  await expect(page.getByLabel("Company")).toHaveValue("Sales Prospect's workspace");
  await expect(page.getByText(`Signed in as ${email}`)).toContainText("Sales Prospect's workspace");

  // The server's answer for a bad field: a message under it, not a generic failure.
  const form = page.getByRole("form", { name: "Contact sales" });
  await form.getByLabel("Company").fill(company);
  await form.getByLabel("Expected credits a month (optional)").fill("lots");
  await form.getByLabel("How can we help?").fill("We run an MCP server for 40 labels.\nWe need unlimited credits and 25 seats.");
  await form.getByRole("button", { name: "Send to sales" }).click();
  await expect(form.getByRole("alert")).toHaveText("Some fields need another look: see the messages below them.");
  await expect(form.getByLabel("Expected credits a month (optional)")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByText("Enter a whole number of credits a month, like 50,000.")).toBeVisible();

  await form.getByLabel("Expected credits a month (optional)").fill("250,000");
  await form.getByRole("button", { name: "Send to sales" }).click();
  const confirmation = page.getByRole("status");
  await expect(confirmation).toContainText("Thanks, Sales Prospect");
  await expect(confirmation).toContainText(`We’ll reply to ${email} within one business day.`);
  await expect(confirmation.getByRole("link", { name: "Back to billing" })).toHaveAttribute("href", "/settings/billing#plans");
  await captureStep(page, testInfo, "enterprise-contact-sent");

  // The operator: the mail in the outbox, the lead in the console.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await admin
    .context()
    .setExtraHTTPHeaders({ "x-forwarded-for": `10.200.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}` });
  await signIn(admin, ADMIN);
  await admin.goto(`/dev/mail?to=${encodeURIComponent(ADMIN.email)}`);
  await expect(admin.getByRole("heading", { name: `Sales lead: ${company} (Sales Prospect)` })).toBeVisible();

  await admin.goto("/admin");
  await expect(admin.getByRole("group", { name: "Open sales leads" })).toBeVisible();
  await admin.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Sales leads" }).click();
  await admin.waitForURL("**/admin/leads");
  await expect(admin.getByRole("heading", { name: "Sales leads", level: 1 })).toBeVisible();
  const lead = admin.getByRole("listitem", { name: `Sales Prospect · ${company}` });
  await expect(lead).toContainText(email);
  await expect(lead).toContainText("250,000");
  await expect(lead).toContainText("Settings → Billing");
  await expect(lead).toContainText("We run an MCP server for 40 labels.\nWe need unlimited credits and 25 seats.");
  await expect(lead.getByText("Enterprise", { exact: true })).toBeVisible();
  await expect(lead.getByText("Open", { exact: true })).toBeVisible();
  await expect(lead.getByRole("link", { name: "Sales Prospect's workspace" })).toHaveAttribute("href", /\/admin\/workspaces\//);
  await captureStep(admin, testInfo, "enterprise-lead-in-admin");

  await lead.getByRole("button", { name: "Mark handled: the lead from Sales Prospect" }).click();
  await expect(lead).toContainText(`Handled by ${ADMIN.email}`);
  await expect(lead.getByText("Handled", { exact: true })).toBeVisible();
  await admin.getByRole("navigation", { name: "Filter leads" }).getByRole("link", { name: "Open" }).click();
  await admin.waitForURL("**/admin/leads?status=open");
  await expect(admin.getByRole("listitem", { name: `Sales Prospect · ${company}` })).toHaveCount(0);

  await admin.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Audit log" }).click();
  const audit = admin.getByRole("row").filter({ hasText: company });
  await expect(audit).toContainText("Sales lead handled");
  await expect(audit).toContainText(ADMIN.email);
  await adminContext.close();
});

test("a visitor contacts sales from the Enterprise card on /pricing, without an account", async ({ page }) => {
  await page.goto("/pricing");
  await page
    .getByRole("region", { name: "Plans" })
    .getByRole("listitem", { name: "Enterprise", exact: true })
    .getByRole("link", { name: "Contact sales about Enterprise" })
    .click();
  await page.waitForURL("**/contact-sales?plan=enterprise&from=pricing");
  await expect(page.getByLabel("Your name")).toHaveValue("");

  // Nothing filled in: every required field says what it needs.
  await page.getByRole("button", { name: "Send to sales" }).click();
  await expect(page.getByText("Enter your name.")).toBeVisible();
  await expect(page.getByText("Enter your company or project.")).toBeVisible();
  await expect(page.getByText("Tell us a little about what you need.")).toBeVisible();
  await expect(page.getByLabel("Work email")).toHaveAttribute("aria-invalid", "true");

  const email = uniqueEmail("visitor");
  await page.getByLabel("Your name").fill("Grace Hopper");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Company").fill("Compiler Records");
  await page.getByLabel("How can we help?").fill("Quote for 2M credits a month, billed annually?");
  await page.getByRole("button", { name: "Send to sales" }).click();
  await expect(page.getByRole("status")).toContainText(`We’ll reply to ${email} within one business day.`);
  await expect(page.getByRole("status").getByRole("link", { name: "Back to pricing" })).toHaveAttribute("href", "/pricing#plans");
});
