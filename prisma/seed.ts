// npm run db:seed — the catalogue (plans, packs, price table); in demo and test mode also the demo user
// with a month of usage, the demo operator, teammate and API key. Never the demo accounts otherwise:
// their passwords are public, so a production database must not have them.
// Idempotent: existing rows are left as they are (operators may have edited them).
import { closeDb, db } from "../lib/db.ts";
import { env } from "../lib/env.ts";
import { now } from "../lib/clock.ts";
import { hashPassword } from "../lib/auth/password.ts";
import { creditPeriod, debit } from "../lib/credits/index.ts";
import { createWorkspace } from "../lib/workspaces/create.ts";
import { createApiKey, hashKey } from "../lib/metering/keys.ts";
import { setBudget } from "../lib/budgets/manage.ts";
import fs from "node:fs";
import { DEFAULT_ACTION_PRICES, DEFAULT_PACKS, DEFAULT_PLANS, DEMO_MONTHLY_PROFILE } from "../lib/pricing/catalog-defaults.ts";
import { mulberry32 } from "../lib/random.ts";
import { DEMO_ADMIN } from "../lib/admin/demo.ts";
import { ensureOperator } from "../lib/admin/operators.ts";
import { DEMO_TEAMMATE } from "../lib/teams/demo.ts";
import { createAccount } from "../lib/accounts/signup.ts";
import { acceptInvitation, createInvitation } from "../lib/teams/invitations.ts";

export async function seedCatalog(at: Date) {
  for (const plan of DEFAULT_PLANS) {
    await db.plan.upsert({ where: { id: plan.id }, create: plan, update: {} });
  }
  for (const pack of DEFAULT_PACKS) {
    await db.creditPack.upsert({ where: { id: pack.id }, create: pack, update: {} });
  }
  // Version 1 of each action, only where the action has no version yet.
  await db.actionPrice.createMany({
    data: DEFAULT_ACTION_PRICES.map((p) => ({
      ...p,
      version: 1,
      effectiveFrom: new Date(0),
      reason: "initial price table",
      createdAt: at,
    })),
    skipDuplicates: true,
  });
}

export async function seedDemo(at: Date): Promise<{ created: boolean; events: number }> {
  const existing = await db.user.findUnique({ where: { email: env.DEMO_EMAIL } });
  if (existing) return { created: false, events: 0 };

  const period = creditPeriod(at, "MONTH", at);
  const user = await db.user.create({
    data: {
      email: env.DEMO_EMAIL,
      name: "Demo Label",
      passwordHash: await hashPassword(env.DEMO_PASSWORD),
      emailVerified: period.start,
      createdAt: period.start,
    },
  });
  const workspace = await db.$transaction((tx) =>
    createWorkspace(tx, { name: "Demo Label", ownerUserId: user.id, planId: "pro", at: period.start }),
  );

  // A month of usage so far: the Pro profile scaled to the part of the month that has passed.
  const random = mulberry32(20261101);
  const span = at.getTime() - period.start.getTime();
  const fraction = Math.max(span / (period.end.getTime() - period.start.getTime()), 0.25);
  const events: { actionKey: string; at: Date }[] = [];
  for (const { actionKey, perMonth } of DEMO_MONTHLY_PROFILE) {
    const count = Math.max(1, Math.round(perMonth * fraction));
    for (let i = 0; i < count; i++) events.push({ actionKey, at: new Date(period.start.getTime() + Math.floor(random() * span)) });
  }
  events.sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const [i, e] of events.entries()) {
    await debit({ workspaceId: workspace.id, actionKey: e.actionKey, idempotencyKey: `demo-${i}`, actor: { userId: user.id }, at: e.at });
  }
  return { created: true, events: events.length };
}

/**
 * The demo operator (the /admin console), only in demo mode: a database seeded without DEMO_MODE never
 * gets an admin whose password is published. Left as it is once it exists.
 */
export async function seedDemoAdmin(): Promise<boolean> {
  if (!env.DEMO_MODE) return false;
  if (await db.user.findUnique({ where: { email: DEMO_ADMIN.email }, select: { id: true } })) return false;
  await ensureOperator({ email: DEMO_ADMIN.email, password: DEMO_ADMIN.password, name: DEMO_ADMIN.name, verified: true });
  return true;
}

/**
 * The demo teammate (lib/teams/demo.ts), only in demo mode: a member of the demo workspace who joined
 * through an invitation, as a real teammate would. Left as it is once the account exists.
 */
export async function seedDemoTeammate(): Promise<boolean> {
  if (!env.DEMO_MODE) return false;
  if (await db.user.findUnique({ where: { email: DEMO_TEAMMATE.email }, select: { id: true } })) return false;
  const owner = await db.membership.findFirst({
    where: { user: { email: env.DEMO_EMAIL }, role: "OWNER" },
    orderBy: { createdAt: "asc" },
    select: { workspaceId: true, userId: true },
  });
  if (!owner) return false;
  const { userId } = await createAccount({ name: DEMO_TEAMMATE.name, email: DEMO_TEAMMATE.email, password: DEMO_TEAMMATE.password });
  const { token } = await createInvitation({
    workspaceId: owner.workspaceId,
    actorUserId: owner.userId,
    email: DEMO_TEAMMATE.email,
    role: "MEMBER",
  });
  await acceptInvitation({ token, userId });
  // A budget to look at (Settings → Members): alert-only, so it never stops the demo.
  await setBudget(owner.workspaceId, { scope: "member", member_id: userId, period: "month", mode: "soft", limit: 2_000 });
  return true;
}

/**
 * The demo workspace's key for `npm run simulate`, saved (secret and all) in the git-ignored .data
 * folder. Made again, and the old one revoked, when that file is gone or holds a key this database
 * does not know (a fresh database, another DATABASE_URL).
 */
export async function seedDemoKey(file = ".data/demo-api-key"): Promise<boolean> {
  const saved = fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : "";
  if (saved) {
    const known = await db.apiClient.findFirst({ where: { secretHash: hashKey(saved), revokedAt: null }, select: { id: true } });
    if (known) return false;
  }
  const membership = await db.membership.findFirst({
    where: { user: { email: env.DEMO_EMAIL }, role: "OWNER" },
    select: { workspaceId: true, userId: true },
  });
  if (!membership) return false;
  await db.apiClient.updateMany({
    where: { workspaceId: membership.workspaceId, name: "Demo simulator", revokedAt: null },
    data: { revokedAt: now() },
  });
  const { key } = await createApiKey({
    kind: "WORKSPACE",
    workspaceId: membership.workspaceId,
    name: "Demo simulator",
    hourlyCap: 100_000,
    maxPending: 50,
    createdById: membership.userId,
  });
  fs.mkdirSync(".data", { recursive: true });
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return true;
}

async function main() {
  const at = now();
  await seedCatalog(at);
  if (!env.DEMO_MODE && !env.TEST_MODE) {
    console.log("seeded the catalogue (plans, packs, price table); no demo accounts outside demo and test mode");
    await closeDb();
    return;
  }
  const demo = await seedDemo(at);
  if (await seedDemoAdmin()) console.log(`seeded the demo operator ${DEMO_ADMIN.email} (the /admin console)`);
  if (await seedDemoTeammate()) console.log(`seeded the demo teammate ${DEMO_TEAMMATE.email}, a member of the demo workspace`);
  if (await seedDemoKey()) console.log("saved the demo API key in .data/demo-api-key (npm run simulate uses it)");
  console.log(
    demo.created
      ? `seeded the catalogue and the demo workspace (${demo.events} usage events)`
      : "catalogue up to date; demo user already exists",
  );
  await closeDb();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
