import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { createAccount, signUp } from "@/lib/accounts/signup";
import { verifyPassword } from "@/lib/auth/password";
import { getBalance } from "@/lib/credits/balance";
import { expectInvariants, newAccount, uniqueEmail, verifyThroughOutbox } from "./helpers";
import { bonusSource } from "@/lib/accounts/verification";

describe("sign-up", () => {
  it("creates one Free workspace with a 100-credit allowance, mails a verification link, and grants the 300-credit bonus when it is followed, as ledger entries", async () => {
    const email = uniqueEmail("signup");
    const { userId, workspaceId } = await createAccount({ name: "Ada", email, password: "correct horse battery" });

    // Before verification: the allowance only, and a link in the outbox.
    expect(await db.creditGrant.findMany({ where: { workspaceId }, select: { type: true, amount: true } })).toEqual([
      { type: "SUBSCRIPTION", amount: 100 },
    ]);
    expect((await getBalance(workspaceId)).remaining).toBe(100);
    const mails = await db.mailMessage.findMany({ where: { to: email } });
    expect(mails.map((m) => [m.kind, m.subject])).toEqual([["verify_email", "Confirm your email address"]]);
    expect(mails[0]!.text).toContain("300 bonus credits");
    expect((await db.user.findUniqueOrThrow({ where: { id: userId } })).emailVerified).toBeNull();

    await verifyThroughOutbox(email);
    expect((await db.user.findUniqueOrThrow({ where: { id: userId } })).emailVerified).not.toBeNull();

    const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.passwordHash!, "correct horse battery")).toBe(true);

    const memberships = await db.membership.findMany({ where: { userId }, include: { workspace: true } });
    expect(memberships).toHaveLength(1);
    expect(memberships[0]!.role).toBe("OWNER");
    expect(memberships[0]!.workspace.planId).toBe("free");

    const grants = await db.creditGrant.findMany({ where: { workspaceId }, orderBy: { type: "asc" } });
    expect(grants.map((g) => [g.type, g.amount, g.remaining])).toEqual([
      ["SUBSCRIPTION", 100, 100],
      ["BONUS", 300, 300],
    ]);
    expect(grants[1]!.source).toBe(bonusSource(email));
    const entries = await db.ledgerEntry.findMany({ where: { workspaceId } });
    expect(entries.map((e) => [e.kind, e.amount]).sort()).toEqual([
      ["GRANT", 100],
      ["GRANT", 300],
    ]);

    const balance = await getBalance(workspaceId);
    expect(balance.remaining).toBe(400);
    expect(balance.used).toBe(0);
    expect(balance.plan.name).toBe("Free");
    await expectInvariants(workspaceId);
  });

  it("given the same sign-up twice at once, creates one account and tells the other the email is taken", async () => {
    const email = uniqueEmail("race");
    const input = { name: "", email, password: "correct horse battery" };
    const results = await Promise.allSettled([createAccount(input), createAccount(input)]);

    const ok = results.filter((r) => r.status === "fulfilled");
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.reason).toBeInstanceOf(AppError);
    expect((failed[0]!.reason as AppError).code).toBe("email_taken");
    expect((failed[0]!.reason as AppError).message).toMatch(/already exists/);

    const users = await db.user.findMany({ where: { email } });
    expect(users).toHaveLength(1);
    const workspaces = await db.workspace.findMany({ where: { memberships: { some: { user: { email } } } } });
    expect(workspaces).toHaveLength(1);
    expect(await db.creditGrant.count({ where: { workspaceId: workspaces[0]!.id } })).toBe(1); // the allowance; the bonus waits for verification
    expect(await db.mailMessage.count({ where: { to: email, kind: "verify_email" } })).toBe(1);
    expect(await db.workspace.count({ where: { name: { startsWith: email.split("@")[0]! } } })).toBe(1);
  });

  it("refuses an existing email, whatever its case, and creates nothing", async () => {
    const email = uniqueEmail("dupe");
    await createAccount({ name: "", email, password: "correct horse battery" });
    await expect(createAccount({ name: "", email: email.toUpperCase(), password: "another password" })).rejects.toMatchObject({
      code: "email_taken",
    });
    expect(await db.user.count({ where: { email: { equals: email, mode: "insensitive" } } })).toBe(1);
    expect(await db.membership.count({ where: { user: { email } } })).toBe(1);
  });
});

describe("sign-up does not tell who has an account", () => {
  it("an address with an account gets a mail for its owner (at most 3 an hour) and nothing else changes", async () => {
    const { email, userId } = await newAccount("enumerate");
    const before = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } });
    for (let i = 0; i < 5; i++)
      await expect(signUp({ name: "Mallory", email: email.toUpperCase(), password: "a different password" })).resolves.toBeUndefined();
    expect(await db.user.count({ where: { email } })).toBe(1);
    expect((await db.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } })).passwordHash).toBe(
      before.passwordHash,
    );
    const mails = await db.mailMessage.findMany({ where: { to: email, kind: "signup_attempt" } });
    expect(mails).toHaveLength(3);
    expect(mails[0]!.subject).toBe("You already have a Creditbook account");
    expect(mails[0]!.text).toContain("/forgot-password");
  });

  it("a new address gets its account and the verification mail, through the same call", async () => {
    const email = uniqueEmail("fresh");
    await signUp({ name: "", email, password: "a long enough password" });
    expect(await db.user.count({ where: { email } })).toBe(1);
    expect(await db.mailMessage.count({ where: { to: email, kind: "verify_email" } })).toBe(1);
    expect(await db.mailMessage.count({ where: { to: email, kind: "signup_attempt" } })).toBe(0);
  });
});
