import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { createAccount } from "@/lib/accounts/signup";
import { verifyPassword } from "@/lib/auth/password";
import { userForSession } from "@/lib/auth/session";
import { signedIn } from "./helpers";
import { debit, getBalance } from "@/lib/credits";
import { createApiKey } from "@/lib/metering/keys";
import { setBudget } from "@/lib/budgets/manage";
import { Prisma } from "@/lib/generated/prisma/client";
import { consumeToken, hashToken, issueToken, TOKEN_TTL_MS } from "@/lib/accounts/tokens";
import { bonusSource, emailKey, verifyEmail } from "@/lib/accounts/verification";
import { deliverPasswordReset, resetPassword, RESET_LIMITS } from "@/lib/accounts/password-reset";
import { deleteAccount, deletedEmail } from "@/lib/accounts/delete";
import { EXPORT_FORMAT, LEDGER_CSV_COLUMNS, ledgerCsvStream, workspaceJsonStream } from "@/lib/accounts/export";
import { expectInvariants, mailedLink, newAccount, tokenOf, uniqueEmail, verifyThroughOutbox } from "./helpers";

const PASSWORD = "correct horse battery";

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("account tokens", () => {
  it("are stored as SHA-256 only, and work once", async () => {
    const { userId } = await newAccount("token", { verified: false });
    const { token, expiresAt } = await issueToken(db, { userId, kind: "RESET_PASSWORD" });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await db.accountToken.findMany({ where: { userId, kind: "RESET_PASSWORD" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(expiresAt.getTime() - rows[0]!.createdAt.getTime()).toBe(TOKEN_TTL_MS.RESET_PASSWORD);

    expect(await consumeToken(db, { token, kind: "VERIFY_EMAIL" })).toBeNull(); // another kind
    expect(await consumeToken(db, { token, kind: "RESET_PASSWORD" })).toEqual({ userId });
    expect(await consumeToken(db, { token, kind: "RESET_PASSWORD" })).toBeNull(); // used
    expect(await consumeToken(db, { token: "not-a-token", kind: "RESET_PASSWORD" })).toBeNull();
    expect(await consumeToken(db, { token: "A".repeat(43), kind: "RESET_PASSWORD" })).toBeNull();
  });

  it("given 12 requests racing with the same token, exactly one uses it", async () => {
    const { userId } = await newAccount("race-token", { verified: false });
    const { token } = await issueToken(db, { userId, kind: "RESET_PASSWORD" });
    const results = await Promise.all(
      Array.from({ length: 12 }, () => db.$transaction((tx) => consumeToken(tx, { token, kind: "RESET_PASSWORD" }))),
    );
    expect(results.filter((r) => r !== null)).toEqual([{ userId }]);
    const row = await db.accountToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
    expect(row.usedAt).not.toBeNull();
  });

  it("expire: a verification link lasts 24 hours, a reset link 1 hour", async () => {
    const { userId } = await newAccount("expiry", { verified: false });
    const at = now();
    const verify = await issueToken(db, { userId, kind: "VERIFY_EMAIL", at });
    const reset = await issueToken(db, { userId, kind: "RESET_PASSWORD", at });
    const hour = 60 * 60 * 1000;
    expect(await consumeToken(db, { token: reset.token, kind: "RESET_PASSWORD", at: new Date(at.getTime() + hour) })).toBeNull();
    expect(await consumeToken(db, { token: verify.token, kind: "VERIFY_EMAIL", at: new Date(at.getTime() + 24 * hour) })).toBeNull();
    expect(await consumeToken(db, { token: verify.token, kind: "VERIFY_EMAIL", at: new Date(at.getTime() + 24 * hour - 1) })).toEqual({
      userId,
    });
  });
});

describe("email verification and the sign-up bonus", () => {
  it("grants the 300 bonus once, when the mailed link is followed, even with two links racing", async () => {
    const email = uniqueEmail("verify");
    const { userId, workspaceId } = await createAccount({ name: "", email, password: PASSWORD });
    expect((await getBalance(workspaceId)).remaining).toBe(100);
    // A second link (the "resend" button), then both followed at once.
    const second = await issueToken(db, { userId, kind: "VERIFY_EMAIL" });
    const first = tokenOf(await mailedLink(email, "verify_email"));
    const results = await Promise.all([verifyEmail(first), verifyEmail(second.token)]);
    expect(results.map((r) => r.outcome)).toEqual(["verified", "verified"]);
    expect(results.filter((r) => r.outcome === "verified" && r.bonus !== null)).toHaveLength(1);

    const bonus = await db.creditGrant.findMany({ where: { workspaceId, type: "BONUS" } });
    expect(bonus.map((g) => [g.amount, g.source])).toEqual([[300, bonusSource(email)]]);
    expect((await getBalance(workspaceId)).remaining).toBe(400);
    expect(await db.signupBonusClaim.findUnique({ where: { emailHash: emailKey(email) } })).toMatchObject({
      userId,
      workspaceId,
      grantId: bonus[0]!.id,
    });
    expect(await verifyEmail(first)).toEqual({ outcome: "invalid" }); // used
    await expectInvariants(workspaceId);
  });

  it("gives no second bonus to the same address after the account is deleted and made again (any case)", async () => {
    const { email, userId, workspaceId } = await newAccount("again");
    expect((await getBalance(workspaceId)).remaining).toBe(400);
    await deleteAccount({ userId, confirmEmail: email });

    const again = await createAccount({ name: "", email: email.toUpperCase(), password: PASSWORD });
    const mail = await db.mailMessage.findFirstOrThrow({ where: { to: email, kind: "verify_email" }, orderBy: { createdAt: "desc" } });
    expect(mail.text).not.toContain("bonus"); // the mail promises nothing it will not give
    const result = await verifyThroughOutbox(email);
    expect(result).toMatchObject({ outcome: "verified", userId: again.userId, bonus: null });
    expect(await db.creditGrant.count({ where: { workspaceId: again.workspaceId, type: "BONUS" } })).toBe(0);
    expect((await getBalance(again.workspaceId)).remaining).toBe(100);
    expect(await db.signupBonusClaim.count({ where: { emailHash: emailKey(email) } })).toBe(1);
    await expectInvariants(workspaceId, again.workspaceId);
  });
});

describe("password reset", () => {
  it("mails a link to a known address only, sets the new password once, and refuses sessions from before", async () => {
    const { email, userId } = await newAccount("reset");
    const before = await signedIn(userId);
    expect(await userForSession(before)).toMatchObject({ id: userId, email });

    expect(await deliverPasswordReset(uniqueEmail("nobody"))).toBe("unknown_email");
    expect(await deliverPasswordReset(email.toUpperCase())).toBe("sent");
    const link = await mailedLink(email, "reset_password");
    expect(link).toMatch(/\/reset-password\/[A-Za-z0-9_-]{43}$/);

    const done = await resetPassword({ token: tokenOf(link), password: "a brand new password" });
    expect(done).toEqual({ userId, email });
    const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
    expect(await verifyPassword(user.passwordHash!, "a brand new password")).toBe(true);
    expect(await verifyPassword(user.passwordHash!, PASSWORD)).toBe(false);
    expect(user.passwordChangedAt).not.toBeNull();

    // Every session that began before the change is refused; a new sign-in counts.
    expect(await userForSession(before)).toBeNull();
    expect(await userForSession({ uid: userId, authAt: Date.now() })).toBeNull(); // a session from before session versions
    expect(await userForSession(await signedIn(userId))).toMatchObject({ id: userId });

    expect(await resetPassword({ token: tokenOf(link), password: "yet another password" })).toBeNull(); // used
  });

  it("refuses an expired reset link and retires the others once one is used", async () => {
    const { email, userId } = await newAccount("reset-expiry");
    const at = now();
    const old = await issueToken(db, { userId, kind: "RESET_PASSWORD", at: new Date(at.getTime() - TOKEN_TTL_MS.RESET_PASSWORD - 1) });
    expect(await resetPassword({ token: old.token, password: "a brand new password" })).toBeNull();
    const a = await issueToken(db, { userId, kind: "RESET_PASSWORD" });
    const b = await issueToken(db, { userId, kind: "RESET_PASSWORD" });
    expect(await resetPassword({ token: a.token, password: "a brand new password" })).toEqual({ userId, email });
    expect(await resetPassword({ token: b.token, password: "someone else's choice" })).toBeNull();
  });

  it("sends at most 3 links per address in 15 minutes", async () => {
    const { email } = await newAccount("reset-flood");
    const outcomes = [];
    for (let i = 0; i < RESET_LIMITS.perEmail + 2; i++) outcomes.push(await deliverPasswordReset(email));
    expect(outcomes).toEqual(["sent", "sent", "sent", "throttled", "throttled"]);
    expect(await db.mailMessage.count({ where: { to: email, kind: "reset_password" } })).toBe(3);
  });
});

describe("workspace export", () => {
  it("holds the workspace, members, grants, keys without secrets, budgets, and every ledger entry and usage event, across batches", async () => {
    const { email, userId, workspaceId } = await newAccount("export");
    await createApiKey({ kind: "WORKSPACE", workspaceId, name: "export key", createdById: userId });
    const budget = await setBudget(workspaceId, { scope: "workspace", period: "day", mode: "hard", limit: 5_000 });
    for (const actionKey of ["aria.chat", "image.generate", "sonic.analysis"]) await debit({ workspaceId, actionKey, actor: { userId } });
    // 4,500 rejected events with one timestamp: more than two batches, all tied on createdAt, so the
    // keyset must use the id to move on (no ledger effect, so the invariants still hold).
    const price = await db.actionPrice.findFirstOrThrow({ where: { actionKey: "aria.chat" } });
    const tied = new Date(now().getTime() - 60_000);
    await db.usageEvent.createMany({
      data: Array.from({ length: 4500 }, (_, i) => ({
        id: `export-${workspaceId}-${String(i).padStart(5, "0")}`,
        workspaceId,
        actionKey: "aria.chat",
        category: "ARIA" as const,
        priceId: price.id,
        credits: 0,
        status: "REJECTED" as const,
        createdAt: tied,
        ...(i === 0 ? { rejectedBudgetId: budget.id } : {}),
      })),
    });

    const text = await readAll(workspaceJsonStream(workspaceId, now()));
    const doc = JSON.parse(text) as Record<string, unknown> & {
      members: { email: string; role: string }[];
      grants: { type: string; amount: number }[];
      apiKeys: Record<string, unknown>[];
      ledger: { id: string; kind: string; amount: number }[];
      usageEvents: Record<string, unknown>[];
      budgets: Record<string, unknown>[];
      workspace: { id: string; planId: string };
    };
    expect(doc.format).toBe(EXPORT_FORMAT);
    expect(doc.workspace).toMatchObject({ id: workspaceId, planId: "free" });
    expect(doc.members).toEqual([expect.objectContaining({ email, role: "OWNER" })]);
    expect(doc.grants.map((g) => [g.type, g.amount]).sort()).toEqual([
      ["BONUS", 300],
      ["SUBSCRIPTION", 100],
    ]);
    expect(doc.apiKeys).toHaveLength(1);
    expect(doc.apiKeys[0]).toMatchObject({ name: "export key" });
    expect(doc.apiKeys[0]).not.toHaveProperty("secretHash");

    const ledger = await db.ledgerEntry.findMany({ where: { workspaceId }, orderBy: { id: "asc" } });
    expect(doc.ledger.map((e) => e.id).sort()).toEqual(ledger.map((e) => e.id.toString()).sort());
    expect(doc.ledger.reduce((sum, e) => sum + e.amount, 0)).toBe((await getBalance(workspaceId)).remaining);
    expect(doc.usageEvents).toHaveLength(4503);
    expect(new Set(doc.usageEvents.map((e) => e.id)).size).toBe(4503);
    // Every column of an event but the workspace's id (the document is the workspace's), whatever is added later.
    const columns = Object.keys(Prisma.UsageEventScalarFieldEnum).filter((c) => c !== "workspaceId");
    expect(Object.keys(doc.usageEvents[0]!).sort()).toEqual(columns.sort());
    expect(doc.usageEvents.find((e) => e.id === `export-${workspaceId}-00000`)).toMatchObject({ rejectedBudgetId: budget.id });
    expect(doc.budgets).toEqual([expect.objectContaining({ id: budget.id, scope: "WORKSPACE", period: "DAY", limitCredits: 5_000 })]);

    const csv = (await readAll(ledgerCsvStream(workspaceId))).trimEnd().split("\r\n");
    expect(csv[0]).toBe(LEDGER_CSV_COLUMNS.join(","));
    expect(csv).toHaveLength(ledger.length + 1);
    expect(csv.some((line) => line.includes(",DEBIT,-1,") && line.includes(",SUBSCRIPTION,"))).toBe(true);
    await expectInvariants(workspaceId);
  });
});

describe("account deletion", () => {
  it("erases personal data, closes the workspace they alone used, and leaves the ledger intact", async () => {
    const { email, userId, workspaceId } = await newAccount("delete");
    const key = await createApiKey({ kind: "WORKSPACE", workspaceId, name: "to revoke", createdById: userId });
    await debit({ workspaceId, actionKey: "image.generate", actor: { userId } });
    const ledgerBefore = await db.ledgerEntry.findMany({ where: { workspaceId }, orderBy: { id: "asc" } });
    const balanceBefore = await getBalance(workspaceId);
    // Two Contact-sales requests of theirs: one signed in, one from the same address signed out; and someone else's.
    const lead = (data: { email: string; userId?: string }) =>
      db.salesLead.create({
        data: {
          name: "Ada Lovelace",
          company: "Analytical Engines",
          message: "Call me on +44 20 7946 0000",
          expectedMonthlyCredits: 50_000,
          planId: "enterprise",
          ...data,
        },
      });
    const [signedInLead, anonymousLead, othersLead] = [
      await lead({ email, userId }),
      await lead({ email }),
      await lead({ email: `other-${email}` }),
    ];

    await expect(deleteAccount({ userId, confirmEmail: "someone@else.test" })).rejects.toMatchObject({ code: "validation_failed" });
    const result = await deleteAccount({ userId, confirmEmail: ` ${email.toUpperCase()} ` });
    expect(result).toEqual({ closed: [workspaceId], left: [] });

    const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
    expect(user).toMatchObject({ email: deletedEmail(userId), name: null, passwordHash: null, emailVerified: null, isAdmin: false });
    expect(user.deletedAt).not.toBeNull();
    expect(await db.user.count({ where: { email } })).toBe(0);
    expect(await db.membership.count({ where: { userId } })).toBe(0);
    expect(await db.accountToken.count({ where: { userId } })).toBe(0);
    expect(await db.mailMessage.count({ where: { to: email } })).toBe(0);
    expect(await userForSession(await signedIn(userId))).toBeNull();
    // Their sales leads keep the business facts and lose the person.
    for (const { id } of [signedInLead, anonymousLead]) {
      const row = await db.salesLead.findUniqueOrThrow({ where: { id } });
      expect(row).toMatchObject({
        name: "Deleted user",
        email: deletedEmail(userId),
        company: "Erased",
        expectedMonthlyCredits: 50_000,
        planId: "enterprise",
      });
      expect(JSON.stringify(row)).not.toMatch(/Ada|Lovelace|7946|Analytical/);
    }
    expect((await db.salesLead.findUniqueOrThrow({ where: { id: othersLead.id } })).name).toBe("Ada Lovelace");

    const workspace = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
    expect(workspace).toMatchObject({ name: "Closed workspace", alertWebhookUrl: null });
    expect(workspace.closedAt).not.toBeNull();
    expect((await db.apiClient.findUniqueOrThrow({ where: { id: key.client.id } })).revokedAt).not.toBeNull();

    // The ledger is untouched: same entries, actors still the (now anonymised) user id, same balance.
    const ledgerAfter = await db.ledgerEntry.findMany({ where: { workspaceId }, orderBy: { id: "asc" } });
    expect(ledgerAfter).toEqual(ledgerBefore);
    expect(ledgerAfter.some((e) => e.actorUserId === userId)).toBe(true);
    expect((await getBalance(workspaceId)).remaining).toBe(balanceBefore.remaining);
    await expectInvariants(workspaceId);
    expect(await db.auditLog.count({ where: { action: "account.delete", targetId: userId } })).toBe(1);

    await expect(deleteAccount({ userId, confirmEmail: deletedEmail(userId) })).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses while they are the last owner of a workspace others use; goes ahead once another member is an owner", async () => {
    const owner = await newAccount("last-owner");
    const member = await newAccount("member");
    await db.membership.create({ data: { userId: member.userId, workspaceId: owner.workspaceId, role: "MEMBER" } });

    const refused = deleteAccount({ userId: owner.userId, confirmEmail: owner.email });
    await expect(refused).rejects.toMatchObject({ code: "conflict", status: 409 });
    await expect(refused).rejects.toThrow(/last owner/);
    expect((await db.user.findUniqueOrThrow({ where: { id: owner.userId } })).deletedAt).toBeNull();
    expect(await db.membership.count({ where: { userId: owner.userId } })).toBe(1);
    expect(await db.membership.count({ where: { workspaceId: owner.workspaceId } })).toBe(2);

    // A member can always leave: their own workspace closes, the shared one stays open.
    const left = await deleteAccount({ userId: member.userId, confirmEmail: member.email });
    expect(left).toEqual({ closed: [member.workspaceId], left: [owner.workspaceId] });

    const second = await newAccount("second-owner");
    await db.membership.create({ data: { userId: second.userId, workspaceId: owner.workspaceId, role: "OWNER" } });
    const done = await deleteAccount({ userId: owner.userId, confirmEmail: owner.email });
    expect(done.left).toEqual([owner.workspaceId]);
    const shared = await db.workspace.findUniqueOrThrow({ where: { id: owner.workspaceId } });
    expect(shared.closedAt).toBeNull();
    expect(await db.membership.findMany({ where: { workspaceId: owner.workspaceId }, select: { userId: true } })).toEqual([
      { userId: second.userId },
    ]);
    await expectInvariants(owner.workspaceId, member.workspaceId);
  });
});
