import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { db } from "@/lib/db";
import { createAccount } from "@/lib/auth/signup";
import { adjust, checkInvariants } from "@/lib/credits";

export function uniqueEmail(tag = "user"): string {
  return `${tag}-${randomUUID().slice(0, 8)}@example.test`;
}

/** A new user with a personal Free workspace (100 allowance + 300 bonus), as sign-up makes it. */
export async function newAccount(tag?: string) {
  const email = uniqueEmail(tag);
  const { userId, workspaceId } = await createAccount({ name: "", email, password: "correct horse battery" });
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
