import { newSessionClaims } from "@/lib/auth/session-revocation";
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { db } from "@/lib/db";
import { createAccount } from "@/lib/accounts/signup";
import { adjust, checkInvariants } from "@/lib/credits";
import { verifyEmail } from "@/lib/accounts/verification";

export function uniqueEmail(tag = "user"): string {
  return `${tag}-${randomUUID().slice(0, 8)}@example.test`;
}

/** The link of the newest outbox message of `kind` to `email`, as the person would click it. */
export async function mailedLink(email: string, kind: string): Promise<string> {
  const mail = await db.mailMessage.findFirstOrThrow({ where: { to: email, kind }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  const link = /https?:\/\/\S+/.exec(mail.text)?.[0];
  if (!link) throw new Error(`no link in the ${kind} mail to ${email}`);
  return link;
}

/** The token at the end of a mailed link (…/verify-email/<token>). */
export function tokenOf(link: string): string {
  return new URL(link).pathname.split("/").pop()!;
}

/** Follows the verification link in the outbox, which grants the sign-up bonus. */
export async function verifyThroughOutbox(email: string) {
  const result = await verifyEmail(tokenOf(await mailedLink(email, "verify_email")));
  if (result.outcome !== "verified") throw new Error(`verifying ${email} failed`);
  return result;
}

/**
 * A new user with a personal Free workspace (100 allowance + 300 bonus), as sign-up makes it and the
 * verification link completes it (`verified: false` stops before the link: no bonus yet).
 */
export async function newAccount(tag?: string, options: { verified?: boolean } = {}) {
  const email = uniqueEmail(tag);
  const { userId, workspaceId } = await createAccount({ name: "", email, password: "correct horse battery" });
  if (options.verified !== false) await verifyThroughOutbox(email);
  return { email, userId, workspaceId };
}

/** A Free workspace with exactly `credits` spendable: the 300 bonus is adjusted away first. */
export async function workspaceWith(credits: number, tag?: string) {
  const account = await newAccount(tag);
  const delta = credits - 400;
  if (delta !== 0) await adjust({ workspaceId: account.workspaceId, credits: delta, reason: "test setup", actorUserId: account.userId });
  return account;
}

export async function newApiClient(workspaceId: string, maxPending = 10) {
  return db.apiClient.create({
    data: { workspaceId, name: "test key", prefix: `cb_test_${randomUUID().slice(0, 12)}`, secretHash: randomUUID(), maxPending },
  });
}

/** Asserts every ledger invariant for the given workspaces. */
export async function expectInvariants(...workspaceIds: string[]) {
  const report = await checkInvariants(db, workspaceIds);
  expect(report.violations).toEqual([]);
}

/** The claims of a fresh sign-in by this user (what the session cookie would carry). */
export async function signedIn(userId: string) {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, sessionVersion: true } });
  return newSessionClaims(user);
}
