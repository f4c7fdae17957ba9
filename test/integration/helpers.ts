import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { createAccount } from "@/lib/auth/signup";

export function uniqueEmail(tag = "user"): string {
  return `${tag}-${randomUUID().slice(0, 8)}@example.test`;
}

/** A new user with a personal Free workspace (100 allowance + 300 bonus), as sign-up makes it. */
export async function newAccount(tag?: string) {
  const email = uniqueEmail(tag);
  const { userId, workspaceId } = await createAccount({ name: "", email, password: "correct horse battery" });
  return { email, userId, workspaceId };
}

/** The ledger invariants of DESIGN.md for one workspace; returns the violations found. */
export async function ledgerViolations(workspaceId: string): Promise<string[]> {
  const grants = await db.creditGrant.findMany({ where: { workspaceId }, include: { entries: true } });
  const problems: string[] = [];
  for (const g of grants) {
    if (g.remaining < 0 || g.remaining > g.amount) problems.push(`grant ${g.id}: remaining ${g.remaining} outside [0, ${g.amount}]`);
    const replayed = g.entries.reduce((s, e) => s + e.amount, 0);
    if (replayed !== g.remaining) problems.push(`grant ${g.id}: ledger replays to ${replayed}, remaining is ${g.remaining}`);
  }
  const events = await db.usageEvent.findMany({ where: { workspaceId, status: "COMPLETED", unmetered: false }, include: { entries: true } });
  for (const e of events) {
    const debited = -e.entries.filter((x) => x.kind === "DEBIT").reduce((s, x) => s + x.amount, 0);
    if (debited !== e.credits) problems.push(`event ${e.id}: charged ${e.credits}, debit entries sum to ${debited}`);
  }
  return problems;
}
