import "server-only";
import { db, type Tx } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { cancelSubscriptionNow } from "@/lib/billing/stripe/subscriptions";
import { revokeOwnerPowers } from "@/lib/teams/members";

/**
 * "Delete my account" (Settings → Account). Personal data is erased and the ledger stays intact:
 * - the User row stays (ledger entries, usage events and audit entries keep its id as their actor) but
 *   loses everything personal: email → deleted-<id>@invalid, name, password and image cleared, OAuth
 *   accounts, sessions, tokens and outbox mail to the old address deleted, every session refused;
 * - the user leaves every workspace. A workspace whose only member they were is closed: renamed
 *   "Closed workspace", API keys revoked, alert webhook cleared, a Stripe subscription cancelled — its
 *   grants, ledger and usage stay as they were (invariants unchanged). Workspaces of a platform's own
 *   customers (external id) are the platform's: the user just leaves them;
 * - it is refused while they are the last owner of a workspace that has other members: those members
 *   would be left with nobody to manage billing. They must make someone else an owner first.
 * What remains about the person: SignupBonusClaim's SHA-256 of the address (so a new account with it
 * gets no second bonus) and the ids in the ledger.
 */
export type DeletionPlan = {
  close: { id: string; name: string; stripeSubscriptionId: string | null }[];
  leave: { id: string; name: string }[];
  blockers: { id: string; name: string; otherMembers: number }[];
};

export function deletedEmail(userId: string): string {
  return `deleted-${userId}@invalid`;
}

async function deletionPlan(client: Tx | typeof db, userId: string): Promise<DeletionPlan> {
  const memberships = await client.membership.findMany({
    where: { userId },
    select: {
      role: true,
      workspace: {
        select: {
          id: true,
          name: true,
          externalId: true,
          closedAt: true,
          stripeSubscriptionId: true,
          memberships: { select: { userId: true, role: true } },
        },
      },
    },
    orderBy: { createdAt: "asc" },
  });
  const plan: DeletionPlan = { close: [], leave: [], blockers: [] };
  for (const { role, workspace } of memberships) {
    const others = workspace.memberships.filter((m) => m.userId !== userId);
    if (role === "OWNER" && others.length > 0 && !others.some((m) => m.role === "OWNER")) {
      plan.blockers.push({ id: workspace.id, name: workspace.name, otherMembers: others.length });
    } else if (others.length === 0 && !workspace.externalId && !workspace.closedAt) {
      plan.close.push({ id: workspace.id, name: workspace.name, stripeSubscriptionId: workspace.stripeSubscriptionId });
    } else {
      plan.leave.push({ id: workspace.id, name: workspace.name });
    }
  }
  return plan;
}

/** What deleting this account would do (Settings → Account shows it before asking). */
export function previewDeletion(userId: string): Promise<DeletionPlan> {
  return deletionPlan(db, userId);
}

function refuse(blockers: DeletionPlan["blockers"]): never {
  const names = blockers.map((b) => `“${b.name}”`).join(", ");
  throw new AppError(
    "conflict",
    `You are the last owner of ${names}, which other people still use. Make one of them an owner first, then delete your account.`,
    {
      nextStep: "Make another member an owner of each of these workspaces.",
      details: { workspaces: blockers.map((b) => ({ id: b.id, name: b.name, other_members: b.otherMembers })) },
    },
  );
}

export async function deleteAccount(input: {
  userId: string;
  confirmEmail: string;
  at?: Date;
}): Promise<{ closed: string[]; left: string[] }> {
  const user = await db.user.findUnique({ where: { id: input.userId }, select: { id: true, email: true, deletedAt: true } });
  if (!user || user.deletedAt) throw new AppError("not_found", "This account no longer exists.");
  if (input.confirmEmail.trim().toLowerCase() !== user.email) {
    throw new AppError("validation_failed", "Type your email address exactly as shown to confirm.", { details: { field: "confirm" } });
  }

  // Refusals first, then Stripe (outside any transaction: a network call must not hold locks), then the
  // erasure. A subscription that cannot be cancelled stops the deletion: never leave a deleted account paying.
  const before = await deletionPlan(db, user.id);
  if (before.blockers.length > 0) refuse(before.blockers);
  for (const workspace of before.close) {
    if (!workspace.stripeSubscriptionId) continue;
    try {
      await cancelSubscriptionNow(workspace.stripeSubscriptionId);
    } catch (err) {
      console.error(`[accounts] cancelling ${workspace.stripeSubscriptionId} before deleting ${user.id} failed:`, err);
      throw new AppError(
        "service_unavailable",
        "We could not cancel your subscription with the payment provider, so nothing was deleted. Try again in a few minutes.",
      );
    }
  }

  const at = input.at ?? now();
  return db.$transaction(async (tx) => {
    // Row locks, in a fixed order: the user (two deletions of the same account run one after the other),
    // then each of their workspaces (FOR UPDATE conflicts with the key-share lock a new membership's
    // foreign key takes, so nobody joins a workspace while we decide to close it).
    await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${user.id} FOR UPDATE`;
    const again = await tx.user.findUniqueOrThrow({ where: { id: user.id }, select: { deletedAt: true } });
    if (again.deletedAt) throw new AppError("not_found", "This account no longer exists.");
    await tx.$queryRaw`SELECT w.id FROM "Workspace" w JOIN "Membership" m ON m."workspaceId" = w.id WHERE m."userId" = ${user.id} ORDER BY w.id FOR UPDATE OF w`;
    const plan = await deletionPlan(tx, user.id);
    if (plan.blockers.length > 0) refuse(plan.blockers);

    const closing = plan.close.map((w) => w.id);
    if (closing.length > 0) {
      await tx.workspace.updateMany({
        where: { id: { in: closing } },
        data: {
          closedAt: at,
          name: "Closed workspace",
          alertWebhookUrl: null,
          alertThresholds: [],
          pendingPlanId: null,
          pendingPlanAt: null,
        },
      });
      await tx.apiClient.updateMany({ where: { workspaceId: { in: closing }, revokedAt: null }, data: { revokedAt: at } });
    }
    // Workspaces the user leaves keep running; the keys and open invitations the user created there stop, as when any member leaves.
    for (const workspace of plan.leave) await revokeOwnerPowers(tx, workspace.id, user.id, at);
    await tx.membership.deleteMany({ where: { userId: user.id } });
    await tx.account.deleteMany({ where: { userId: user.id } });
    await tx.session.deleteMany({ where: { userId: user.id } });
    await tx.accountToken.deleteMany({ where: { userId: user.id } });
    await tx.mailMessage.deleteMany({ where: { to: user.email } });
    // Contact-sales requests they wrote (signed in, or from the same address): the person goes, the
    // fact that a lead came in (when, for which plan, how many credits) stays for the operators.
    await tx.salesLead.updateMany({
      where: { OR: [{ userId: user.id }, { email: user.email }] },
      data: { name: "Deleted user", email: deletedEmail(user.id), company: "Erased", message: "Erased: the account was deleted." },
    });
    await tx.rateLimitCounter.deleteMany({ where: { key: { in: [`signin:email:${user.email}`, `reset:email:${user.email}`] } } });
    await tx.user.update({
      where: { id: user.id },
      data: {
        email: deletedEmail(user.id),
        name: null,
        passwordHash: null,
        image: null,
        emailVerified: null,
        isAdmin: false,
        deletedAt: at,
        passwordChangedAt: at,
      },
    });
    await tx.auditLog.create({
      data: {
        actorUserId: user.id,
        action: "account.delete",
        targetType: "user",
        targetId: user.id,
        reason: "deleted by the account holder",
        data: { closedWorkspaces: closing, leftWorkspaces: plan.leave.map((w) => w.id) },
        createdAt: at,
      },
    });
    return { closed: closing, left: plan.leave.map((w) => w.id) };
  });
}
