import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { ensureOperator } from "@/lib/admin/operators";
import { markSalesLeadHandled, salesLeadPage } from "@/lib/admin/sales-leads";
import { LEAD_LIMITS, OPERATOR_MAIL_LIMIT, submitSalesLead } from "@/lib/sales/leads";
import { newAccount, uniqueEmail } from "./helpers";

/** A fresh client address, so each test's per-IP throttle starts at zero. */
const ip = () => `198.51.100.${Math.floor(Math.random() * 250)}-${randomUUID().slice(0, 8)}`;

function lead(overrides: Record<string, unknown> = {}) {
  return {
    name: "Ada Lovelace",
    email: uniqueEmail("lead"),
    company: "Analytical Engines Ltd",
    expectedMonthlyCredits: "",
    message: "We meter 40k image generations a month and want volume pricing.",
    ...overrides,
  };
}

/** The AppError `promise` rejects with (fails the test when it resolves or throws something else). */
async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const fieldsOf = (err: AppError) => err.options.details?.fields as Record<string, string>;

describe("a Contact sales lead", () => {
  it("is stored as written (trimmed, credits with separators read as a number) and mailed to every live operator, in plain text and HTML", async () => {
    const operators = await Promise.all(
      [uniqueEmail("op-a"), uniqueEmail("op-b")].map((email) => ensureOperator({ email, password: "operator password 1", verified: true })),
    );
    const retired = await ensureOperator({ email: uniqueEmail("op-deleted"), password: "operator password 1", verified: true });
    await db.user.update({ where: { id: retired.userId }, data: { deletedAt: new Date() } });
    const customer = await newAccount("lead-customer");
    const tag = randomUUID().slice(0, 8);

    const input = lead({
      name: "  Ada Lovelace ",
      company: `Engines ${tag}`,
      expectedMonthlyCredits: "50,000",
      message: `Hi <script>alert(1)</script>\nSecond line ${tag}`,
      planId: "enterprise",
      source: "pricing",
    });
    const result = await submitSalesLead(input, { ip: ip() });
    expect(result).toMatchObject({ email: input.email, name: "Ada Lovelace" });
    expect(result.mailedOperators).toBeGreaterThanOrEqual(2);

    const row = await db.salesLead.findUniqueOrThrow({ where: { id: result.id } });
    expect(row).toMatchObject({
      name: "Ada Lovelace",
      company: `Engines ${tag}`,
      expectedMonthlyCredits: 50_000,
      planId: "enterprise",
      source: "pricing",
      userId: null,
      workspaceId: null,
      handledAt: null,
    });

    const mails = await db.mailMessage.findMany({ where: { kind: "sales_lead", subject: `Sales lead: Engines ${tag} (Ada Lovelace)` } });
    const recipients = mails.map((m) => m.to);
    for (const op of operators) expect(recipients.filter((to) => to === op.email)).toHaveLength(1);
    expect(recipients).not.toContain(retired.email);
    expect(recipients).not.toContain(customer.email);
    // One message per operator: nobody gets it twice (other test files may add operators meanwhile).
    expect(new Set(recipients).size).toBe(recipients.length);
    const mail = mails.find((m) => m.to === operators[0]!.email)!;
    expect(mail.text).toContain(`Ada Lovelace (${input.email}) at Engines ${tag} wrote about Enterprise from the pricing page.`);
    expect(mail.text).toContain("Expected use: 50,000 credits a month.");
    expect(mail.text).toContain(`Hi <script>alert(1)</script>\nSecond line ${tag}`);
    expect(mail.text).toMatch(/\/admin\/leads/);
    expect(mail.html).toContain("Hi &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(mail.html).not.toContain("<script>");
  });

  it("from a signed-in visitor names their workspace, in the lead, the mail and the console's list (newest first)", async () => {
    const customer = await newAccount("lead-signed-in");
    const workspace = await db.workspace.findUniqueOrThrow({ where: { id: customer.workspaceId }, select: { name: true } });
    const first = await submitSalesLead(lead({ email: customer.email }), {
      ip: ip(),
      userId: customer.userId,
      workspaceId: customer.workspaceId,
    });
    const second = await submitSalesLead(lead({ email: customer.email, expectedMonthlyCredits: 1_200_000 }), {
      ip: ip(),
      userId: customer.userId,
      workspaceId: customer.workspaceId,
    });
    expect(await db.salesLead.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({
      userId: customer.userId,
      workspaceId: customer.workspaceId,
    });
    const mail = await db.mailMessage.findFirstOrThrow({ where: { kind: "sales_lead", text: { contains: customer.email } } });
    expect(mail.text).toContain(`Signed in, in the workspace ${workspace.name}.`);

    const page = await salesLeadPage({ filter: "open" });
    const mine = page.rows.filter((r) => r.email === customer.email);
    expect(mine.map((r) => r.id)).toEqual([second.id, first.id]);
    expect(mine[0]).toMatchObject({
      expectedMonthlyCredits: 1_200_000,
      workspace: { id: customer.workspaceId, name: workspace.name },
      handled: null,
    });
  });

  it("refuses bad input field by field, stores nothing, and does not count against the throttle", async () => {
    const from = { ip: ip() };
    const email = uniqueEmail("bad-lead");
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ name: "", company: " ", message: "" }, "name", /Enter your name/],
      [{ email: "not-an-address" }, "email", /valid email/],
      [{ email: undefined }, "email", /Enter your email/],
      [{ message: "hello\u0000world" }, "message", /NUL character/],
      [{ name: "Ada\u0000" }, "name", /NUL character/],
      [{ message: "x".repeat(5001) }, "message", /at most 5,000 characters/],
      [{ company: "y".repeat(121) }, "company", /at most 120 characters/],
      [{ name: "Ada\r\nBcc: victim@example.com" }, "name", /one line/],
      [{ expectedMonthlyCredits: "12.5" }, "expectedMonthlyCredits", /whole number/],
      [{ expectedMonthlyCredits: "-3" }, "expectedMonthlyCredits", /whole number/],
      [{ expectedMonthlyCredits: "lots" }, "expectedMonthlyCredits", /whole number/],
      [{ expectedMonthlyCredits: "2,000,000,000" }, "expectedMonthlyCredits", /at most 1,000,000,000/],
      [{ expectedMonthlyCredits: "9".repeat(400) }, "expectedMonthlyCredits", /at most 1,000,000,000/],
    ];
    for (const [overrides, field, message] of cases) {
      const err = await refusal(submitSalesLead(lead({ email, ...overrides }), from));
      expect(err.code, JSON.stringify(overrides).slice(0, 80)).toBe("validation_failed");
      expect(err.status).toBe(422);
      expect(fieldsOf(err)[field], `${field} for ${JSON.stringify(overrides).slice(0, 80)}`).toMatch(message);
    }
    // All the missing fields at once, each with its own message.
    const empty = await refusal(submitSalesLead({}, from));
    expect(Object.keys(fieldsOf(empty)).sort()).toEqual(["company", "email", "message", "name"]);
    expect(await db.salesLead.count({ where: { email } })).toBe(0);

    // A hidden plan or source that was tampered with is dropped, not refused.
    const ok = await submitSalesLead(lead({ email, planId: "../../etc", source: "evil" }), from);
    expect(await db.salesLead.findUniqueOrThrow({ where: { id: ok.id } })).toMatchObject({ planId: null, source: null });
  });

  it(`is throttled per client address: ${LEAD_LIMITS.perIp} an hour, then 429 rate_limited and nothing stored`, async () => {
    const from = { ip: ip() };
    for (let i = 0; i < LEAD_LIMITS.perIp; i++) await submitSalesLead(lead(), from);
    const email = uniqueEmail("over-ip");
    const err = await refusal(submitSalesLead(lead({ email }), from));
    expect(err.code).toBe("rate_limited");
    expect(err.status).toBe(429);
    expect(err.message).toMatch(/Try again in \d+ minutes?/);
    expect(await db.salesLead.count({ where: { email } })).toBe(0);
    // Another network is not affected.
    await expect(submitSalesLead(lead({ email }), { ip: ip() })).resolves.toMatchObject({ email });
  });

  it(`is throttled per reply address from any network: ${LEAD_LIMITS.perEmail} an hour`, async () => {
    const email = uniqueEmail("over-email");
    for (let i = 0; i < LEAD_LIMITS.perEmail; i++) await submitSalesLead(lead({ email }), { ip: ip() });
    expect((await refusal(submitSalesLead(lead({ email: email.toUpperCase() }), { ip: ip() }))).code).toBe("rate_limited");
    expect(await db.salesLead.count({ where: { email } })).toBe(LEAD_LIMITS.perEmail);
  });

  it(`past ${OPERATOR_MAIL_LIMIT} leads an hour from everyone, is still stored and listed but no longer mailed`, async () => {
    // An hour window of its own (the limit is global): a moment far from now and from other runs.
    const at = new Date(Date.UTC(2031, 0, 1) + Math.floor(Math.random() * 10_000) * 3_600_000 + 60_000);
    for (let i = 0; i < OPERATOR_MAIL_LIMIT; i++)
      expect((await submitSalesLead(lead(), { ip: ip(), at })).mailedOperators).toBeGreaterThan(0);
    const over = await submitSalesLead(lead(), { ip: ip(), at });
    expect(over.mailedOperators).toBe(0);
    expect(await db.salesLead.findUnique({ where: { id: over.id } })).not.toBeNull();
    expect(await db.mailMessage.count({ where: { kind: "sales_lead", text: { contains: over.email } } })).toBe(0);
  });

  it("is marked handled once, audited with the operator; a second operator is told who was first", async () => {
    const [a, b] = await Promise.all(
      [uniqueEmail("handler-a"), uniqueEmail("handler-b")].map((email) =>
        ensureOperator({ email, password: "operator password 1", verified: true }),
      ),
    );
    const { id, email } = await submitSalesLead(lead({ company: "Handled Co" }), { ip: ip() });

    // Both click at once: exactly one of them records it.
    const outcomes = await Promise.allSettled([markSalesLeadHandled(id, a!.userId), markSalesLeadHandled(id, b!.userId)]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const refused = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected")!.reason as AppError;
    expect(refused.code).toBe("conflict");
    const row = await db.salesLead.findUniqueOrThrow({ where: { id } });
    const winner = row.handledById === a!.userId ? a! : b!;
    expect(refused.message).toBe(`This lead was already marked handled by ${winner.email}.`);

    const audit = await db.auditLog.findMany({ where: { targetType: "sales_lead", targetId: id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "sales_lead.handle", actorUserId: winner.userId, data: { email, company: "Handled Co" } });

    const handled = await salesLeadPage({ filter: "handled" });
    expect(handled.rows.find((r) => r.id === id)?.handled).toMatchObject({ by: winner.email });
    expect((await salesLeadPage({ filter: "open" })).rows.map((r) => r.id)).not.toContain(id);
    expect((await refusal(markSalesLeadHandled("no-such-lead", a!.userId))).code).toBe("not_found");
  });
});
