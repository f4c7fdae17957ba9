import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { now, testClock } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { debit, type ChargeResult } from "@/lib/credits";
import { adminDecision } from "@/lib/auth/session";
import { verifyPassword } from "@/lib/auth/password";
import { changeActionPrice, priceHistory } from "@/lib/pricing/admin";
import { currentPrice } from "@/lib/pricing/prices";
import { adjustWorkspaceCredits, searchWorkspaces } from "@/lib/admin/workspaces";
import { auditPage } from "@/lib/admin/audit";
import { overview, summarizeUsageTimeIndex } from "@/lib/admin/overview";
import { ensureOperator } from "@/lib/admin/operators";
import { expectInvariants, newAccount, signedIn, uniqueEmail } from "./helpers";

afterEach(() => {
  testClock.reset();
});

/**
 * An action of this test's own (version 1: 5 credits, rejected when out of credits): the price table is
 * shared by every test file running in parallel, so the seeded actions are never edited here.
 */
async function ownAction(credits = 5) {
  const actionKey = `admintest.${randomUUID().slice(0, 8)}`;
  await db.actionPrice.create({
    data: { actionKey, version: 1, name: "Admin test action", category: "IMAGE", credits, effectiveFrom: new Date(0), reason: "test" },
  });
  return actionKey;
}

async function newAdmin() {
  const account = await newAccount("operator");
  await db.user.update({ where: { id: account.userId }, data: { isAdmin: true } });
  return account;
}

function eventId(r: ChargeResult): string {
  if (r.outcome !== "charged") throw new Error(`expected a charge, got ${r.outcome}`);
  return r.eventId;
}

async function eventWithVersion(id: string) {
  const e = await db.usageEvent.findUniqueOrThrow({ where: { id }, include: { price: { select: { version: true } } } });
  return { credits: e.credits, version: e.price.version };
}

/** The AppError a promise rejects with (fails the test if it resolves or throws anything else). */
async function appError(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const terms = { policy: "REJECT", sync: true } as const;

describe("price table editor", () => {
  it("inserts version N+1: a debit after it costs the new price, the earlier event keeps its version, and the audit log has before/after", async () => {
    const actionKey = await ownAction(5);
    const admin = await newAdmin();
    const { workspaceId, userId } = await newAccount("priced");

    const before = eventId(await debit({ workspaceId, actionKey, actor: { userId } }));
    expect(await eventWithVersion(before)).toEqual({ credits: 5, version: 1 });

    const { price, auditId } = await changeActionPrice(
      { actionKey, credits: "6", ...terms, reason: "provider raised its price" },
      admin.userId,
    );
    expect(price).toMatchObject({
      actionKey,
      version: 2,
      credits: 6,
      createdById: admin.userId,
      reason: "provider raised its price",
      category: "IMAGE",
    });
    expect(price.effectiveFrom.getTime()).toBeLessThanOrEqual(Date.now());

    const after = eventId(await debit({ workspaceId, actionKey, actor: { userId } }));
    expect(await eventWithVersion(after)).toEqual({ credits: 6, version: 2 });
    expect(await eventWithVersion(before)).toEqual({ credits: 5, version: 1 });
    // Rows are never updated: version 1 is still there as it was.
    expect(
      await db.actionPrice.findMany({ where: { actionKey }, orderBy: { version: "asc" }, select: { version: true, credits: true } }),
    ).toEqual([
      { version: 1, credits: 5 },
      { version: 2, credits: 6 },
    ]);

    const audit = await db.auditLog.findUniqueOrThrow({ where: { id: auditId } });
    expect(audit).toMatchObject({
      action: "price.update",
      targetType: "action_price",
      targetId: actionKey,
      actorUserId: admin.userId,
      reason: "provider raised its price",
    });
    expect(audit.data).toMatchObject({
      version: 2,
      immediate: true,
      before: { version: 1, credits: 5, policy: "REJECT" },
      after: { version: 2, credits: 6, policy: "REJECT" },
    });
    await expectInvariants(workspaceId);
  });

  it("a change scheduled for later does not apply until then; an earlier immediate change replaces it", async () => {
    const actionKey = await ownAction(5);
    const admin = await newAdmin();
    const { workspaceId } = await newAccount("scheduled");
    const t0 = testClock.set(new Date(Date.now() + 60_000));
    const at = new Date(t0.getTime() + 3_600_000);

    const scheduled = await changeActionPrice(
      { actionKey, credits: 9, ...terms, effectiveFrom: at.toISOString(), reason: "new price from the top of the hour" },
      admin.userId,
    );
    expect(scheduled.price).toMatchObject({ version: 2, credits: 9 });
    expect(scheduled.price.effectiveFrom.toISOString()).toBe(at.toISOString());
    expect((await priceHistory(actionKey))?.versions.map((v) => [v.version, v.state])).toEqual([
      [2, "scheduled"],
      [1, "in_force"],
    ]);

    expect(await eventWithVersion(eventId(await debit({ workspaceId, actionKey })))).toEqual({ credits: 5, version: 1 });
    testClock.set(new Date(at.getTime() - 1_000));
    expect(await eventWithVersion(eventId(await debit({ workspaceId, actionKey })))).toEqual({ credits: 5, version: 1 });
    testClock.set(new Date(at.getTime() + 1_000));
    expect(await eventWithVersion(eventId(await debit({ workspaceId, actionKey })))).toEqual({ credits: 9, version: 2 });
    expect((await currentPrice(db, actionKey, now()))?.version).toBe(2);

    // Schedule v3 for later, then change at once (v4): v3 never applies.
    const later = new Date(now().getTime() + 3_600_000);
    await changeActionPrice({ actionKey, credits: 12, ...terms, effectiveFrom: later, reason: "another rise" }, admin.userId);
    const immediate = await changeActionPrice({ actionKey, credits: 9, ...terms, reason: "cancel the rise" }, admin.userId);
    expect(immediate.replaced).toEqual([3]);
    testClock.set(new Date(later.getTime() + 1_000));
    expect(await eventWithVersion(eventId(await debit({ workspaceId, actionKey })))).toEqual({ credits: 9, version: 4 });
    expect((await priceHistory(actionKey))?.versions.map((v) => [v.version, v.state])).toEqual([
      [4, "in_force"],
      [3, "never"],
      [2, "past"],
      [1, "past"],
    ]);
  });

  it("validates the change and inserts nothing when it is refused", async () => {
    const actionKey = await ownAction(5);
    const admin = await newAdmin();
    const refused = async (input: Record<string, unknown>, field: string) => {
      const err = await appError(changeActionPrice({ actionKey, credits: 6, ...terms, reason: "r", ...input }, admin.userId));
      expect(err.code).toBe("validation_failed");
      expect(Object.keys((err.options.details?.fields ?? {}) as object)).toContain(field);
    };
    await refused({ credits: 1_000_001 }, "credits");
    await refused({ credits: -1 }, "credits");
    await refused({ credits: "2.5" }, "credits");
    await refused({ credits: "" }, "credits");
    await refused({ reserveCredits: "lots" }, "reserveCredits");
    await refused({ policy: "FREE_FOR_ALL" }, "policy");
    await refused({ reason: "   " }, "reason");
    await refused({ effectiveFrom: new Date(Date.now() - 60_000).toISOString() }, "effectiveFrom");
    await refused({ effectiveFrom: new Date(Date.now() + 400 * 86_400_000).toISOString() }, "effectiveFrom");
    await refused({ credits: 5 }, "credits"); // the same terms as version 1: nothing would change
    expect((await appError(changeActionPrice({ actionKey: "no.such.action", credits: 1, ...terms, reason: "r" }, admin.userId))).code).toBe(
      "not_found",
    );

    expect(await db.actionPrice.count({ where: { actionKey } })).toBe(1);
    expect(await db.auditLog.count({ where: { targetType: "action_price", targetId: actionKey } })).toBe(0);
    // The upper bound itself is allowed.
    expect((await changeActionPrice({ actionKey, credits: 1_000_000, ...terms, reason: "r" }, admin.userId)).price.version).toBe(2);
  });

  it("serialises concurrent edits of one action: each gets its own version", async () => {
    const actionKey = await ownAction(5);
    const admin = await newAdmin();
    const results = await Promise.all(
      [6, 7, 8, 9].map((credits) => changeActionPrice({ actionKey, credits, ...terms, reason: `to ${credits}` }, admin.userId)),
    );
    expect(results.map((r) => r.price.version).sort()).toEqual([2, 3, 4, 5]);
  });
});

describe("grants and adjustments from the console", () => {
  it("grants through the ledger's adjust(): a BONUS bucket, an ADJUSTMENT entry and an audit entry naming the operator", async () => {
    const admin = await newAdmin();
    const { workspaceId } = await newAccount("granted");
    const expiresAt = new Date(Date.now() + 30 * 86_400_000);

    const result = await adjustWorkspaceCredits({ id: admin.userId }, workspaceId, {
      credits: "500",
      reason: "goodwill for the outage",
      expiresAt: expiresAt.toISOString(),
    });
    expect(result).toMatchObject({ credits: 500, remaining: 900 });

    const audit = await db.auditLog.findUniqueOrThrow({ where: { id: result.auditId } });
    expect(audit).toMatchObject({
      action: "credits.adjust",
      targetType: "workspace",
      targetId: workspaceId,
      actorUserId: admin.userId,
      reason: "goodwill for the outage",
    });
    expect(audit.data).toEqual({ credits: 500, expiresAt: expiresAt.toISOString() });
    const entry = await db.ledgerEntry.findFirstOrThrow({ where: { workspaceId, kind: "ADJUSTMENT" }, include: { grant: true } });
    expect(entry).toMatchObject({ amount: 500, actorUserId: admin.userId, reason: "goodwill for the outage" });
    expect(entry.grant).toMatchObject({ type: "BONUS", amount: 500, remaining: 500, expiresAt });

    // The audit page names the operator by email and the workspace by name. Other test files write
    // audit entries too (some at moved clocks), so look for this one page by page.
    let row: Awaited<ReturnType<typeof auditPage>>["rows"][number] | undefined;
    for (let n = 1, pages = 1; !row && n <= pages; n++) {
      const page = await auditPage({ page: n });
      pages = page.pages;
      row = page.rows.find((r) => r.id === result.auditId);
    }
    expect(row).toMatchObject({
      actor: admin.email,
      action: "credits.adjust",
      reason: "goodwill for the outage",
      target: { type: "workspace", id: workspaceId },
    });
    expect(row?.target.label).toMatch(/workspace$/);

    const removed = await adjustWorkspaceCredits({ id: admin.userId }, workspaceId, {
      credits: "-150",
      reason: "double grant by mistake",
      expiresAt: "",
    });
    expect(removed).toMatchObject({ credits: -150, remaining: 750 });
    await expectInvariants(workspaceId);
  });

  it("refuses a zero, a fraction, a missing reason, an expiry on a removal or in the past, and more than the balance", async () => {
    const admin = await newAdmin();
    const { workspaceId } = await newAccount("refused");
    const cases: [Record<string, unknown>, string][] = [
      [{ credits: "0", reason: "r" }, "validation_failed"],
      [{ credits: "1.5", reason: "r" }, "validation_failed"],
      [{ credits: "ten", reason: "r" }, "validation_failed"],
      [{ credits: "10", reason: " " }, "validation_failed"],
      [{ credits: "-10", reason: "r", expiresAt: new Date(Date.now() + 86_400_000).toISOString() }, "validation_failed"],
      [{ credits: "10", reason: "r", expiresAt: new Date(Date.now() - 86_400_000).toISOString() }, "validation_failed"],
      [{ credits: "-401", reason: "r" }, "insufficient_credits"],
    ];
    for (const [input, code] of cases) {
      expect((await appError(adjustWorkspaceCredits({ id: admin.userId }, workspaceId, input))).code).toBe(code);
    }
    expect(await db.ledgerEntry.count({ where: { workspaceId, kind: "ADJUSTMENT" } })).toBe(0);
    expect(await db.auditLog.count({ where: { targetId: workspaceId } })).toBe(0);
  });
});

describe("the admin guard", () => {
  it("lets operators in, refuses other users as not_admin and sessions without a user as anonymous; demotion applies at once", async () => {
    const admin = await newAdmin();
    const customer = await newAccount("customer");
    expect(await adminDecision(await signedIn(admin.userId))).toMatchObject({
      ok: true,
      user: { id: admin.userId, email: admin.email, isAdmin: true },
    });
    expect(await adminDecision(await signedIn(customer.userId))).toEqual({ ok: false, reason: "not_admin" });
    expect(await adminDecision(null)).toEqual({ ok: false, reason: "anonymous" });
    expect(await adminDecision(undefined)).toEqual({ ok: false, reason: "anonymous" });
    expect(await adminDecision({ uid: "no-such-user", sv: 0, authAt: Date.now() })).toEqual({ ok: false, reason: "anonymous" });

    await db.user.update({ where: { id: admin.userId }, data: { isAdmin: false } });
    expect(await adminDecision(await signedIn(admin.userId))).toEqual({ ok: false, reason: "not_admin" });
  });
});

describe("admin:create", () => {
  it("creates an operator with a generated password and a workspace, promotes an existing user keeping their password, and is idempotent", async () => {
    const email = uniqueEmail("ops");
    const created = await ensureOperator({ email: email.toUpperCase() });
    if (created.outcome !== "created") throw new Error(`expected created, got ${created.outcome}`);
    expect(created).toMatchObject({ email, generated: true });
    expect(created.password.length).toBeGreaterThanOrEqual(20);
    const user = await db.user.findUniqueOrThrow({ where: { email }, include: { memberships: true } });
    expect(user.isAdmin).toBe(true);
    expect(await verifyPassword(user.passwordHash!, created.password)).toBe(true);
    expect(user.memberships).toHaveLength(1);

    expect(await ensureOperator({ email })).toMatchObject({ outcome: "unchanged", userId: user.id });

    const customer = await newAccount("promoted");
    const promoted = await ensureOperator({ email: customer.email, password: "ignored password 123" });
    expect(promoted).toMatchObject({ outcome: "promoted", userId: customer.userId });
    const after = await db.user.findUniqueOrThrow({ where: { id: customer.userId } });
    expect(after.isAdmin).toBe(true);
    expect(await verifyPassword(after.passwordHash!, "correct horse battery")).toBe(true);

    expect((await appError(ensureOperator({ email: "not-an-email" }))).code).toBe("invalid_request");
    expect((await appError(ensureOperator({ email: uniqueEmail("short"), password: "short" }))).code).toBe("invalid_request");
  });
});

describe("console reads", () => {
  it("the overview counts today's actions per action and category; the search finds a workspace by member email, id and name", async () => {
    const actionKey = await ownAction(7);
    const { workspaceId, email } = await newAccount("overview");
    await debit({ workspaceId, actionKey });
    await debit({ workspaceId, actionKey, quantity: 2 });

    const today = await overview("day");
    expect(today.bucket).toBe("hour");
    expect(today.actions.find((a) => a.actionKey === actionKey)).toEqual({
      actionKey,
      name: "Admin test action",
      category: "IMAGE",
      credits: 21,
      events: 2,
    });
    expect(today.categories.find((c) => c.category === "IMAGE")!.credits).toBeGreaterThanOrEqual(21);
    expect(today.series.reduce((s, b) => s + b.credits.IMAGE, 0)).toBeGreaterThanOrEqual(21);
    const week = await overview("week");
    expect(week.series).toHaveLength(7);
    expect(week.actions.find((a) => a.actionKey === actionKey)?.credits).toBe(21);
    // A top workspace carries what tells it apart from a same-named one: its first owner's email and a short id.
    expect(today.topWorkspaces.length).toBeGreaterThan(0);
    for (const w of today.topWorkspaces) expect(w.shortId).toBe(w.id.slice(-6));
    const owners = await db.membership.findMany({
      where: { workspaceId: { in: today.topWorkspaces.map((w) => w.id) }, role: "OWNER" },
      select: { workspaceId: true, user: { select: { email: true } } },
    });
    for (const w of today.topWorkspaces) {
      const emails = owners.filter((o) => o.workspaceId === w.id).map((o) => o.user.email);
      expect(emails.length === 0 ? w.ownerEmail === null : emails.includes(w.ownerEmail ?? "")).toBe(true);
    }

    for (const q of [email.toUpperCase(), workspaceId, email.split("@")[0]!]) {
      const found = await searchWorkspaces({ q });
      expect(found.rows.map((r) => r.id)).toContain(workspaceId);
    }
    const byEmail = await searchWorkspaces({ q: email });
    expect(byEmail.rows.find((r) => r.id === workspaceId)).toMatchObject({ planName: "Free", owners: [email], remaining: 379 });
  });
});

describe("the overview's time index", () => {
  it("summarizes itself as inserts move on (autosummarize), and the sweep's call leaves no full range unsummarized", async () => {
    const [index] = await db.$queryRaw<{ options: string[] | null; method: string }[]>`
      SELECT c.reloptions AS options, am.amname AS method FROM pg_class c JOIN pg_am am ON am.oid = c.relam WHERE c.relname = 'UsageEvent_createdAt_idx'`;
    expect(index).toEqual({ options: ["autosummarize=on"], method: "brin" });
    expect(await summarizeUsageTimeIndex()).toBeGreaterThanOrEqual(0);
    // Every range up to the table's last page has a summary now: brin_summarize_range on any of them does nothing.
    const [pages] = await db.$queryRaw<
      { blocks: number }[]
    >`SELECT (pg_relation_size('"UsageEvent"') / current_setting('block_size')::int)::int AS blocks`;
    const [again] = await db.$queryRaw<
      { ranges: number }[]
    >`SELECT brin_summarize_range('"UsageEvent_createdAt_idx"'::regclass, 0)::int AS ranges`;
    expect(pages!.blocks).toBeGreaterThan(0);
    expect(again!.ranges).toBe(0);
  });
});
