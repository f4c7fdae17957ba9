import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { debit } from "@/lib/credits";
import {
  acceptInvitation,
  createInvitation,
  findInvitation,
  INVITATION_TTL_MS,
  listInvitations,
  renewInvitation,
  revokeInvitation,
} from "@/lib/teams/invitations";
import { changeRole, leaveWorkspace, listMembers, listMyWorkspaces, removeMember, teamSeats } from "@/lib/teams/members";
import { GET as entitlementsGET } from "@/app/api/v1/entitlements/route";
import { POST as entitlementsCheck } from "@/app/api/v1/entitlements/check/route";
import { POST as trackPOST } from "@/app/api/v1/track/route";
import { GET as usageGET } from "@/app/api/v1/usage/route";
import { GET as balanceGET } from "@/app/api/v1/balance/route";
import { GET as eventGET } from "@/app/api/v1/events/[id]/route";
import { updatePlanLimits } from "@/lib/teams/plan-limits";
import { checkEntitlement } from "@/lib/teams/entitlements";
import { usageAttribution, attributionIds, usageBreakdown } from "@/lib/usage/attribution";
import { usageHistoryPage } from "@/lib/usage/history";
import { parseHistoryQuery } from "@/lib/usage/params";
import { CSV_COLUMNS, usageCsvStream } from "@/lib/usage/csv";
import { call, keyFor } from "./api-support";
import { createApiKey } from "@/lib/metering/keys";
import { deleteAccount } from "@/lib/accounts/delete";
import { newAccount, uniqueEmail } from "./helpers";

/** The AppError a promise rejects with (fails the test when it resolves or throws something else). */
async function appError(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected an AppError, but the call succeeded");
}

async function onPlan(planId: string, tag = "team") {
  const owner = await newAccount(tag);
  await db.workspace.update({ where: { id: owner.workspaceId }, data: { planId } });
  return owner;
}

/** A member of `workspaceId` who joined through an invitation. */
async function join(workspaceId: string, ownerId: string, role: "OWNER" | "MEMBER" = "MEMBER") {
  const member = await newAccount("member");
  const { token } = await createInvitation({ workspaceId, actorUserId: ownerId, email: member.email, role });
  await acceptInvitation({ token, userId: member.userId });
  const membership = await db.membership.findUniqueOrThrow({ where: { userId_workspaceId: { userId: member.userId, workspaceId } } });
  return { ...member, membershipId: membership.id };
}

describe("invitations", () => {
  it("store only the sha-256 of a random token, and the link carries the token", async () => {
    const owner = await onPlan("pro");
    const email = uniqueEmail("Invitee").toUpperCase();
    const created = await createInvitation({ workspaceId: owner.workspaceId, actorUserId: owner.userId, email, role: "MEMBER" });
    expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 random bits
    expect(created.url).toMatch(new RegExp(`/invite/${created.token}$`));
    const row = await db.invitation.findUniqueOrThrow({ where: { id: created.invitation.id } });
    expect(row.tokenHash).toBe(createHash("sha256").update(created.token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(created.token);
    expect(row.email).toBe(email.toLowerCase());
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(INVITATION_TTL_MS);
    // Another token for the same invitation never matches.
    expect(await findInvitation(`${created.token.slice(0, -1)}x`)).toBeNull();
    expect((await findInvitation(created.token))?.state).toBe("pending");
    // The invitee gets the same link by mail (the outbox, without SMTP).
    const mail = await db.mailMessage.findFirstOrThrow({ where: { to: email.toLowerCase(), kind: "invitation" } });
    expect(mail.text).toContain(created.url);
    expect(mail.subject).toMatch(/^Join .+ on Creditbook$/);
    // So the portal says it was mailed (and still offers the link to copy).
    expect(created.mailed).toBe(true);
  });

  it("are single-use, even when accepted twice at the same moment", async () => {
    const owner = await onPlan("pro");
    const invitee = await newAccount("invitee");
    const { token } = await createInvitation({
      workspaceId: owner.workspaceId,
      actorUserId: owner.userId,
      email: invitee.email,
      role: "MEMBER",
    });
    const results = await Promise.allSettled([
      acceptInvitation({ token, userId: invitee.userId }),
      acceptInvitation({ token, userId: invitee.userId }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(AppError);
    expect((rejected.reason as AppError).code).toBe("invitation_unavailable");
    expect((rejected.reason as AppError).status).toBe(410);
    expect(await db.membership.count({ where: { workspaceId: owner.workspaceId, userId: invitee.userId } })).toBe(1);
    const again = await appError(acceptInvitation({ token, userId: invitee.userId }));
    expect(again.code).toBe("invitation_unavailable");
    expect(again.message).toContain("already been used");
    expect((await findInvitation(token))?.state).toBe("accepted");
  });

  it("expire after 7 days", async () => {
    const owner = await onPlan("pro");
    const invitee = await newAccount("late");
    const at = new Date();
    const { token } = await createInvitation({
      workspaceId: owner.workspaceId,
      actorUserId: owner.userId,
      email: invitee.email,
      role: "MEMBER",
      at,
    });
    const late = await appError(acceptInvitation({ token, userId: invitee.userId, at: new Date(at.getTime() + INVITATION_TTL_MS) }));
    expect(late.code).toBe("invitation_unavailable");
    expect(late.message).toContain("expired");
    expect((await findInvitation(token, new Date(at.getTime() + INVITATION_TTL_MS)))?.state).toBe("expired");
    // An expired invitation holds no seat, and a second before the end it still works.
    expect((await teamSeats(owner.workspaceId, new Date(at.getTime() + INVITATION_TTL_MS))).pending).toBe(0);
    await acceptInvitation({ token, userId: invitee.userId, at: new Date(at.getTime() + INVITATION_TTL_MS - 1000) });
    expect((await listMembers(owner.workspaceId)).map((m) => m.email)).toContain(invitee.email);
  });

  it("are refused to a user with another email, saying which one to use", async () => {
    const owner = await onPlan("pro");
    const intruder = await newAccount("intruder");
    const invited = uniqueEmail("invited");
    const { token } = await createInvitation({ workspaceId: owner.workspaceId, actorUserId: owner.userId, email: invited, role: "OWNER" });
    const err = await appError(acceptInvitation({ token, userId: intruder.userId }));
    expect(err.code).toBe("forbidden");
    expect(err.message).toBe(`This invitation is for ${invited}, but you are signed in as ${intruder.email}.`);
    expect(err.options.details).toEqual({ invited_email: invited });
    expect((await findInvitation(token))?.state).toBe("pending"); // not used up
    const unknown = await appError(acceptInvitation({ token: "no-such-token", userId: intruder.userId }));
    expect(unknown.code).toBe("not_found");
  });

  it("a new link replaces the old one, and withdrawn links stop working", async () => {
    const owner = await onPlan("pro");
    const invitee = await newAccount("renewed");
    const first = await createInvitation({
      workspaceId: owner.workspaceId,
      actorUserId: owner.userId,
      email: invitee.email,
      role: "MEMBER",
    });
    const second = await renewInvitation({ workspaceId: owner.workspaceId, actorUserId: owner.userId, invitationId: first.invitation.id });
    expect(second.token).not.toBe(first.token);
    expect((await findInvitation(first.token))?.state).toBe("revoked");
    expect((await listInvitations(owner.workspaceId)).map((i) => i.email)).toEqual([invitee.email]); // one seat, not two
    await revokeInvitation({ workspaceId: owner.workspaceId, actorUserId: owner.userId, invitationId: second.invitation.id });
    expect((await appError(acceptInvitation({ token: second.token, userId: invitee.userId }))).message).toContain("withdrawn");
    expect(await listInvitations(owner.workspaceId)).toEqual([]);
  });

  it("an invited member sees the workspace among theirs, with the role they were invited as", async () => {
    const owner = await onPlan("pro");
    const member = await join(owner.workspaceId, owner.userId);
    const mine = await listMyWorkspaces(member.userId);
    expect(mine.map((w) => [w.id, w.role])).toEqual([
      [member.workspaceId, "OWNER"],
      [owner.workspaceId, "MEMBER"],
    ]);
    const dup = await appError(
      createInvitation({ workspaceId: owner.workspaceId, actorUserId: owner.userId, email: member.email, role: "MEMBER" }),
    );
    expect(dup.code).toBe("conflict");
    const bad = await appError(
      createInvitation({ workspaceId: owner.workspaceId, actorUserId: owner.userId, email: "not an email", role: "MEMBER" }),
    );
    expect([bad.code, bad.status, bad.options.details]).toEqual(["invalid_request", 400, { field: "email" }]);
  });
});

describe("seats", () => {
  it("a Free workspace (1 seat) cannot invite, and is told Pro has 3", async () => {
    const owner = await onPlan("free");
    const err = await appError(
      createInvitation({ workspaceId: owner.workspaceId, actorUserId: owner.userId, email: uniqueEmail(), role: "MEMBER" }),
    );
    expect(err.code).toBe("seat_limit_reached");
    expect(err.status).toBe(402);
    expect(err.message).toContain("Your Free plan includes 1 seat, all taken (1 member)");
    expect(err.message).toContain("Upgrade to Pro (3 seats)"); // Starter has 1 seat too: the next tier with more is Pro
    expect(err.options.details).toMatchObject({
      seats: 1,
      used: 1,
      members: 1,
      pending_invitations: 0,
      next_plan: { id: "pro", name: "Pro", seats: 3 },
    });
    expect(String(err.options.details?.upgrade_url)).toMatch(/\/settings\/billing#plans$/);
    expect(await db.invitation.count({ where: { workspaceId: owner.workspaceId } })).toBe(0);
  });

  it("pending invitations hold seats; withdrawing one frees it; Pro's third seat goes to one of two racing invitations", async () => {
    const owner = await onPlan("pro"); // 3 seats: the owner + 2
    const a = await createInvitation({
      workspaceId: owner.workspaceId,
      actorUserId: owner.userId,
      email: uniqueEmail("a"),
      role: "MEMBER",
    });
    // Two invitations race for the last seat: the team lock lets exactly one through.
    const race = await Promise.allSettled(
      [uniqueEmail("b"), uniqueEmail("c")].map((email) =>
        createInvitation({ workspaceId: owner.workspaceId, actorUserId: owner.userId, email, role: "MEMBER" }),
      ),
    );
    expect(race.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = (race.find((r) => r.status === "rejected") as PromiseRejectedResult).reason as AppError;
    expect(refused.code).toBe("seat_limit_reached");
    expect(refused.message).toContain("1 member and 2 pending invitations");
    expect(refused.options.details).toMatchObject({ next_plan: { id: "scale", seats: 10 } });
    expect(await teamSeats(owner.workspaceId)).toMatchObject({ limit: 3, members: 1, pending: 2, used: 3, available: 0 });

    // Inviting the same address again replaces its invitation rather than taking another seat.
    const again = await createInvitation({
      workspaceId: owner.workspaceId,
      actorUserId: owner.userId,
      email: a.invitation.email,
      role: "OWNER",
    });
    expect((await teamSeats(owner.workspaceId)).used).toBe(3);
    await revokeInvitation({ workspaceId: owner.workspaceId, actorUserId: owner.userId, invitationId: again.invitation.id });
    expect((await teamSeats(owner.workspaceId)).available).toBe(1);
    await createInvitation({ workspaceId: owner.workspaceId, actorUserId: owner.userId, email: uniqueEmail("d"), role: "MEMBER" });
  });

  it("after a downgrade, an invitation made earlier cannot add a member beyond the new plan's seats", async () => {
    const owner = await onPlan("pro");
    const invitee = await newAccount("downgraded");
    const { token } = await createInvitation({
      workspaceId: owner.workspaceId,
      actorUserId: owner.userId,
      email: invitee.email,
      role: "MEMBER",
    });
    await db.workspace.update({ where: { id: owner.workspaceId }, data: { planId: "starter" } });
    const err = await appError(acceptInvitation({ token, userId: invitee.userId }));
    expect(err.code).toBe("seat_limit_reached");
    expect((await findInvitation(token))?.state).toBe("pending");
    await db.workspace.update({ where: { id: owner.workspaceId }, data: { planId: "pro" } });
    await acceptInvitation({ token, userId: invitee.userId });
  });

  it("Enterprise seats are unlimited", async () => {
    const owner = await onPlan("enterprise");
    for (let i = 0; i < 12; i++)
      await createInvitation({ workspaceId: owner.workspaceId, actorUserId: owner.userId, email: uniqueEmail(`e${i}`), role: "MEMBER" });
    expect(await teamSeats(owner.workspaceId)).toMatchObject({ limit: null, used: 13, available: null });
  });
});

describe("roles", () => {
  it("the last owner cannot leave, be demoted or be removed", async () => {
    const owner = await onPlan("pro");
    const [me] = await listMembers(owner.workspaceId);
    for (const attempt of [
      () => leaveWorkspace({ workspaceId: owner.workspaceId, userId: owner.userId }),
      () => changeRole({ workspaceId: owner.workspaceId, actorUserId: owner.userId, membershipId: me!.id, role: "MEMBER" }),
      () => removeMember({ workspaceId: owner.workspaceId, actorUserId: owner.userId, membershipId: me!.id }),
    ]) {
      const err = await appError(attempt());
      expect([err.code, err.status]).toEqual(["last_owner", 409]);
      expect(err.options.nextStep).toBe("Make another member an owner first.");
    }
    expect((await listMembers(owner.workspaceId)).map((m) => m.role)).toEqual(["OWNER"]);
  });

  it("two owners demoting each other at once leave one owner", async () => {
    const owner = await onPlan("pro");
    const second = await join(owner.workspaceId, owner.userId, "OWNER");
    const [first] = (await listMembers(owner.workspaceId)).filter((m) => m.userId === owner.userId);
    const results = await Promise.allSettled([
      changeRole({ workspaceId: owner.workspaceId, actorUserId: owner.userId, membershipId: second.membershipId, role: "MEMBER" }),
      changeRole({ workspaceId: owner.workspaceId, actorUserId: second.userId, membershipId: first!.id, role: "MEMBER" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const err = (results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason as AppError;
    // Whoever came second was either demoted already (no longer an owner) or would demote the last owner.
    expect(["forbidden", "last_owner"]).toContain(err.code);
    expect(await db.membership.count({ where: { workspaceId: owner.workspaceId, role: "OWNER" } })).toBe(1);
  });

  it("owners change roles and remove members; a member can leave; then an owner may leave too", async () => {
    const owner = await onPlan("pro");
    const member = await join(owner.workspaceId, owner.userId);
    await changeRole({ workspaceId: owner.workspaceId, actorUserId: owner.userId, membershipId: member.membershipId, role: "OWNER" });
    await leaveWorkspace({ workspaceId: owner.workspaceId, userId: owner.userId }); // no longer the only owner
    expect((await listMembers(owner.workspaceId)).map((m) => [m.email, m.role])).toEqual([[member.email, "OWNER"]]);
    const third = await join(owner.workspaceId, member.userId);
    await removeMember({ workspaceId: owner.workspaceId, actorUserId: member.userId, membershipId: third.membershipId });
    expect((await listMembers(owner.workspaceId)).map((m) => m.email)).toEqual([member.email]);
  });

  it("who leaves takes their keys along: removed, leaving or deleting their account revokes the keys they created there, and only those", async () => {
    const owner = await onPlan("scale");
    const keyOf = async (userId: string, workspaceId = owner.workspaceId) =>
      (await createApiKey({ kind: "WORKSPACE", workspaceId, name: `key of ${userId}`, createdById: userId })).key;
    const balance = async (key: string) => (await call(balanceGET, { key, path: "/api/v1/balance" })).status;

    const removed = await join(owner.workspaceId, owner.userId, "OWNER");
    const leaver = await join(owner.workspaceId, owner.userId, "OWNER");
    const deleted = await join(owner.workspaceId, owner.userId, "OWNER");
    const [ownersKey, removedKey, removedOwnKey, leaversKey, deletedKey] = [
      await keyOf(owner.userId),
      await keyOf(removed.userId),
      await keyOf(removed.userId, removed.workspaceId), // in their own workspace
      await keyOf(leaver.userId),
      await keyOf(deleted.userId),
    ];
    for (const key of [ownersKey, removedKey, removedOwnKey, leaversKey, deletedKey]) expect(await balance(key)).toBe(200);

    await removeMember({ workspaceId: owner.workspaceId, actorUserId: owner.userId, membershipId: removed.membershipId });
    expect(await balance(removedKey)).toBe(401);
    expect(await balance(removedOwnKey)).toBe(200); // their own workspace is theirs
    await leaveWorkspace({ workspaceId: owner.workspaceId, userId: leaver.userId });
    expect(await balance(leaversKey)).toBe(401);
    await deleteAccount({ userId: deleted.userId, confirmEmail: deleted.email });
    expect(await balance(deletedKey)).toBe(401);
    expect(await balance(ownersKey)).toBe(200); // the team's other keys go on working
    const revoked = await db.apiClient.findMany({
      where: { workspaceId: owner.workspaceId, revokedAt: { not: null } },
      select: { createdById: true },
    });
    expect(revoked.map((k) => k.createdById).sort()).toEqual([removed.userId, leaver.userId, deleted.userId].sort());
  });

  it("an owner who is removed, leaves, deletes their account or is demoted takes their open invitations along; a demoted owner's keys stop", async () => {
    const owner = await onPlan("scale");
    const invite = (actorUserId: string) =>
      createInvitation({ workspaceId: owner.workspaceId, actorUserId, email: uniqueEmail("backdoor"), role: "OWNER" });
    const removed = await join(owner.workspaceId, owner.userId, "OWNER");
    const leaver = await join(owner.workspaceId, owner.userId, "OWNER");
    const deleted = await join(owner.workspaceId, owner.userId, "OWNER");
    const demoted = await join(owner.workspaceId, owner.userId, "OWNER");
    const links = {
      removed: await invite(removed.userId),
      leaver: await invite(leaver.userId),
      deleted: await invite(deleted.userId),
      demoted: await invite(demoted.userId),
      owner: await invite(owner.userId),
    };
    const demotedKey = (
      await createApiKey({ kind: "WORKSPACE", workspaceId: owner.workspaceId, name: "demoted's key", createdById: demoted.userId })
    ).key;
    expect((await call(balanceGET, { key: demotedKey, path: "/api/v1/balance" })).status).toBe(200);

    await removeMember({ workspaceId: owner.workspaceId, actorUserId: owner.userId, membershipId: removed.membershipId });
    await leaveWorkspace({ workspaceId: owner.workspaceId, userId: leaver.userId });
    await deleteAccount({ userId: deleted.userId, confirmEmail: deleted.email });
    await changeRole({ workspaceId: owner.workspaceId, actorUserId: owner.userId, membershipId: demoted.membershipId, role: "MEMBER" });

    for (const who of ["removed", "leaver", "deleted", "demoted"] as const) {
      expect((await findInvitation(links[who].token))?.state, who).toBe("revoked");
      const holder = await newAccount("holder");
      await db.user.update({ where: { id: holder.userId }, data: { email: links[who].invitation.email } });
      const err = await appError(acceptInvitation({ token: links[who].token, userId: holder.userId }));
      expect([err.code, err.status], who).toEqual(["invitation_unavailable", 410]);
    }
    expect((await call(balanceGET, { key: demotedKey, path: "/api/v1/balance" })).status).toBe(401);
    // The remaining owner's invitation is untouched.
    expect((await findInvitation(links.owner.token))?.state).toBe("pending");
  });

  it("an invitation whose sender is no longer an owner cannot be accepted, even if it was not revoked (links sent before the rule)", async () => {
    const owner = await onPlan("scale");
    const sender = await join(owner.workspaceId, owner.userId, "OWNER");
    const link = await createInvitation({
      workspaceId: owner.workspaceId,
      actorUserId: sender.userId,
      email: uniqueEmail("old-link"),
      role: "OWNER",
    });
    // As a database from before this rule would hold it: the sender demoted, the link still open.
    await db.membership.update({ where: { id: sender.membershipId }, data: { role: "MEMBER" } });
    const holder = await newAccount("old-holder");
    await db.user.update({ where: { id: holder.userId }, data: { email: link.invitation.email } });
    const err = await appError(acceptInvitation({ token: link.token, userId: holder.userId }));
    expect(err.code).toBe("invitation_unavailable");
    expect(await db.membership.count({ where: { userId: holder.userId, workspaceId: owner.workspaceId } })).toBe(0);
  });

  it("a member cannot invite, remove, change roles or withdraw invitations", async () => {
    const owner = await onPlan("pro");
    const member = await join(owner.workspaceId, owner.userId);
    const [ownerRow] = await listMembers(owner.workspaceId);
    const pending = await createInvitation({
      workspaceId: owner.workspaceId,
      actorUserId: owner.userId,
      email: uniqueEmail(),
      role: "MEMBER",
    });
    for (const attempt of [
      () => createInvitation({ workspaceId: owner.workspaceId, actorUserId: member.userId, email: uniqueEmail(), role: "MEMBER" }),
      () => removeMember({ workspaceId: owner.workspaceId, actorUserId: member.userId, membershipId: ownerRow!.id }),
      () => changeRole({ workspaceId: owner.workspaceId, actorUserId: member.userId, membershipId: member.membershipId, role: "OWNER" }),
      () => revokeInvitation({ workspaceId: owner.workspaceId, actorUserId: member.userId, invitationId: pending.invitation.id }),
      () => renewInvitation({ workspaceId: owner.workspaceId, actorUserId: member.userId, invitationId: pending.invitation.id }),
    ]) {
      const err = await appError(attempt());
      expect([err.code, err.status, err.message]).toEqual(["forbidden", 403, "Only workspace owners can manage members."]);
    }
    expect((await listMembers(owner.workspaceId)).map((m) => m.role).sort()).toEqual(["MEMBER", "OWNER"]);
    expect((await findInvitation(pending.token))?.state).toBe("pending");
  });

  it("a member renewing an invitation gets the same 403 whether it is pending, renewed already or no invitation at all (verify scenario 9)", async () => {
    const owner = await onPlan("pro");
    const member = await join(owner.workspaceId, owner.userId);
    const first = await createInvitation({
      workspaceId: owner.workspaceId,
      actorUserId: owner.userId,
      email: uniqueEmail(),
      role: "MEMBER",
    });
    await renewInvitation({ workspaceId: owner.workspaceId, actorUserId: owner.userId, invitationId: first.invitation.id });
    for (const invitationId of [first.invitation.id, "no-such-invitation"]) {
      const err = await appError(renewInvitation({ workspaceId: owner.workspaceId, actorUserId: member.userId, invitationId }));
      expect([err.code, err.status, err.message]).toEqual(["forbidden", 403, "Only workspace owners can manage members."]);
    }
  });

  it("the owner of workspace A cannot touch workspace B's members or invitations by id", async () => {
    const a = await onPlan("pro", "owner-a");
    const b = await onPlan("pro", "owner-b");
    const bMember = await join(b.workspaceId, b.userId);
    const bInvite = await createInvitation({ workspaceId: b.workspaceId, actorUserId: b.userId, email: uniqueEmail(), role: "MEMBER" });
    // Acting in A (where they are owner) with B's ids: nothing there by those ids.
    for (const attempt of [
      () => removeMember({ workspaceId: a.workspaceId, actorUserId: a.userId, membershipId: bMember.membershipId }),
      () => changeRole({ workspaceId: a.workspaceId, actorUserId: a.userId, membershipId: bMember.membershipId, role: "OWNER" }),
      () => revokeInvitation({ workspaceId: a.workspaceId, actorUserId: a.userId, invitationId: bInvite.invitation.id }),
      () => renewInvitation({ workspaceId: a.workspaceId, actorUserId: a.userId, invitationId: bInvite.invitation.id }),
    ]) {
      expect((await appError(attempt())).code).toBe("not_found");
    }
    // Naming workspace B directly: A's owner is not a member there.
    for (const attempt of [
      () => removeMember({ workspaceId: b.workspaceId, actorUserId: a.userId, membershipId: bMember.membershipId }),
      () => createInvitation({ workspaceId: b.workspaceId, actorUserId: a.userId, email: uniqueEmail(), role: "OWNER" }),
      () => leaveWorkspace({ workspaceId: b.workspaceId, userId: a.userId }),
    ]) {
      const err = await appError(attempt());
      expect([err.code, err.message]).toEqual(["forbidden", "You are not a member of this workspace."]);
    }
    expect((await listMembers(b.workspaceId)).map((m) => m.userId).sort()).toEqual([b.userId, bMember.userId].sort());
    expect((await findInvitation(bInvite.token))?.state).toBe("pending");
  });
});

describe("GET /api/v1/entitlements and POST /api/v1/entitlements/check", () => {
  it("a workspace key reads its plan's seats and entitlements", async () => {
    const owner = await onPlan("pro");
    await createInvitation({ workspaceId: owner.workspaceId, actorUserId: owner.userId, email: uniqueEmail(), role: "MEMBER" });
    const { key } = await keyFor(owner.workspaceId);
    const res = await call(entitlementsGET, { key, path: "/api/v1/entitlements" });
    expect(res.status).toBe(200);
    expect(res.headers.get("ratelimit-limit")).toBeTruthy();
    expect(res.json).toEqual({
      workspace_id: owner.workspaceId,
      plan: { id: "pro", name: "Pro" },
      seats: { limit: 3, unlimited: false, used: 2, members: 1, pending_invitations: 1, available: 1 },
      entitlements: { "roster.artists": { limit: 5, unlimited: false } },
    });
  });

  it("answers 'may this workspace add a 6th artist?' with 200 allowed true/false and the upgrade path", async () => {
    const owner = await onPlan("pro");
    const { key } = await keyFor(owner.workspaceId);
    const fifth = await call(entitlementsCheck, { key, body: { key: "roster.artists", requested: 5 } });
    expect(fifth.status).toBe(200);
    expect(fifth.json).toEqual({
      key: "roster.artists",
      allowed: true,
      requested: 5,
      limit: 5,
      unlimited: false,
      remaining_after: 0,
      plan: { id: "pro", name: "Pro" },
    });
    const sixth = await call(entitlementsCheck, { key, body: { key: "roster.artists", current: 5, add: 1 } });
    expect(sixth.status).toBe(200);
    expect(sixth.json).toMatchObject({
      allowed: false,
      requested: 6,
      limit: 5,
      remaining_after: -1,
      next_plan: { id: "scale", name: "Scale", limit: 20, unlimited: false, contact_sales: false },
      message: "The Pro plan allows 5 roster.artists; 6 would be over the limit.",
    });
    expect(String(sixth.json.upgrade_url)).toMatch(/\/settings\/billing#plans$/);
    // `current` alone means adding one.
    expect((await call(entitlementsCheck, { key, body: { key: "roster.artists", current: 4 } })).json).toMatchObject({
      allowed: true,
      requested: 5,
    });
    // Seats: Creditbook knows how many are used, so `add` is enough.
    expect((await call(entitlementsCheck, { key, body: { key: "seats", add: 2 } })).json).toMatchObject({
      allowed: true,
      requested: 3,
      limit: 3,
    });
    expect((await call(entitlementsCheck, { key, body: { key: "seats", add: 3 } })).json).toMatchObject({
      allowed: false,
      requested: 4,
      next_plan: { id: "scale", limit: 10 },
    });
  });

  it("an unknown entitlement or a malformed question is a 4xx in the error shape", async () => {
    const owner = await onPlan("pro");
    const { key } = await keyFor(owner.workspaceId);
    const unknown = await call(entitlementsCheck, { key, body: { key: "roster.labels", requested: 1 } });
    expect(unknown.status).toBe(422);
    expect(unknown.json.error).toMatchObject({
      code: "validation_failed",
      message: 'Unknown entitlement "roster.labels".',
      retryable: false,
      field: "key",
      known_keys: ["seats", "roster.artists"],
    });
    expect(unknown.json.error?.actionable_next_step).toContain("GET /api/v1/entitlements");
    for (const body of [
      { key: "roster.artists" },
      { key: "roster.artists", requested: 6, current: 5 },
      { key: "Roster Artists", requested: 1 },
      { key: "roster.artists", requested: -1 },
      { key: "roster.artists", requested: 1, extra: true },
    ]) {
      const res = await call(entitlementsCheck, { key, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error?.code).toBe("invalid_request");
    }
    expect((await call(entitlementsCheck, { body: { key: "roster.artists", requested: 1 } })).status).toBe(401);
    // A workspace key cannot ask about another workspace.
    const other = await newAccount("other");
    const foreign = await call(entitlementsCheck, { key, body: { key: "roster.artists", requested: 1, workspace_id: other.workspaceId } });
    expect([foreign.status, foreign.json.error?.code]).toEqual([403, "forbidden"]);
  });

  it("Enterprise is unlimited; platform keys name the workspace by id or external id", async () => {
    const owner = await onPlan("enterprise");
    const externalId = `ext-${owner.workspaceId}`;
    await db.workspace.update({ where: { id: owner.workspaceId }, data: { externalId } });
    const { key } = await keyFor(null, { kind: "PLATFORM" });
    const byId = await call(entitlementsCheck, {
      key,
      body: { workspace_id: owner.workspaceId, key: "roster.artists", requested: 1_000_000 },
    });
    expect(byId.json).toEqual({
      key: "roster.artists",
      allowed: true,
      requested: 1_000_000,
      limit: null,
      unlimited: true,
      remaining_after: null,
      plan: { id: "enterprise", name: "Enterprise" },
    });
    const byExternal = await call(entitlementsGET, { key, path: `/api/v1/entitlements?external_id=${externalId}` });
    expect(byExternal.status).toBe(200);
    expect(byExternal.json).toMatchObject({
      workspace_id: owner.workspaceId,
      seats: { limit: null, unlimited: true, available: null },
      entitlements: { "roster.artists": { limit: null, unlimited: true } },
    });
    const nameless = await call(entitlementsGET, { key, path: "/api/v1/entitlements" });
    expect([nameless.status, nameless.json.error?.code]).toEqual([400, "invalid_request"]);
    const missing = await call(entitlementsGET, { key, path: "/api/v1/entitlements?workspace_id=nope" });
    expect([missing.status, missing.json.error?.code]).toEqual([404, "not_found"]);
  });
});

describe("plan limits edited by operators", () => {
  it("take effect on the next question, are validated and audited", async () => {
    // A plan of its own (inactive, so no other test's plan list sees it).
    const planId = `test-limits-${Date.now()}`;
    await db.plan.create({
      data: {
        id: planId,
        name: "Test limits",
        monthlyCredits: 100,
        priceMonthlyCents: 0,
        priceYearlyCents: 0,
        seats: 2,
        entitlements: { "roster.artists": 2 },
        active: false,
      },
    });
    const owner = await newAccount("limits");
    await db.workspace.update({ where: { id: owner.workspaceId }, data: { planId } });
    expect(await checkEntitlement(owner.workspaceId, { key: "roster.artists", requested: 3 })).toMatchObject({ allowed: false, limit: 2 });

    const updated = await updatePlanLimits({
      planId,
      seats: null,
      entitlements: { "roster.artists": 10, "campaigns.active": null },
      actorUserId: owner.userId,
      reason: "bigger test plan",
    });
    expect(updated).toEqual({ id: planId, seats: null, entitlements: { "roster.artists": 10, "campaigns.active": null } });
    expect(await checkEntitlement(owner.workspaceId, { key: "roster.artists", requested: 3 })).toMatchObject({ allowed: true, limit: 10 });
    expect(await checkEntitlement(owner.workspaceId, { key: "campaigns.active", requested: 99 })).toMatchObject({
      allowed: true,
      unlimited: true,
    });
    expect((await teamSeats(owner.workspaceId)).limit).toBeNull();
    const audit = await db.auditLog.findFirstOrThrow({ where: { targetType: "plan", targetId: planId } });
    expect(audit).toMatchObject({ action: "plan.limits.update", actorUserId: owner.userId, reason: "bigger test plan" });
    expect(audit.data).toEqual({
      before: { seats: 2, entitlements: { "roster.artists": 2 } },
      after: { seats: null, entitlements: { "roster.artists": 10, "campaigns.active": null } },
    });

    const invalid: { seats: number; entitlements: Record<string, number | null> }[] = [
      { seats: 0, entitlements: {} },
      { seats: 1.5, entitlements: {} },
      { seats: 3, entitlements: { "Roster Artists": 1 } },
      { seats: 3, entitlements: { "roster.artists": -1 } },
      { seats: 3, entitlements: { seats: 4 } },
    ];
    for (const bad of invalid) {
      const err = await appError(updatePlanLimits({ planId, ...bad, actorUserId: owner.userId, reason: "bad input" }));
      expect([err.code, err.status], JSON.stringify(bad)).toEqual(["invalid_request", 400]);
    }
    expect(
      (
        await appError(
          updatePlanLimits({ planId: "no-such-plan", seats: 1, entitlements: {}, actorUserId: owner.userId, reason: "missing" }),
        )
      ).code,
    ).toBe("not_found");
    expect(await db.auditLog.count({ where: { targetType: "plan", targetId: planId } })).toBe(1);
  });
});

describe("usage attributed to members and keys", () => {
  it("the history, its breakdown and the CSV filter by member and by key", async () => {
    const owner = await onPlan("pro", "attribution");
    const member = await join(owner.workspaceId, owner.userId);
    const k1 = (await keyFor(owner.workspaceId)).client;
    const k2 = (await keyFor(owner.workspaceId)).client;
    await db.apiClient.update({ where: { id: k2.id }, data: { name: "Second key" } });
    const ws = owner.workspaceId;
    const made: { id: string; userId: string | null; apiClientId: string | null; credits: number }[] = [];
    const track = async (actor: { userId?: string; apiClientId?: string }, actionKey: string) => {
      const r = await debit({ workspaceId: ws, actionKey, actor });
      if (r.outcome === "denied") throw new Error("denied");
      made.push({ id: r.eventId, userId: actor.userId ?? null, apiClientId: actor.apiClientId ?? null, credits: r.credits });
    };
    await track({ userId: owner.userId }, "aria.chat");
    await track({ userId: member.userId }, "image.generate");
    await track({ userId: member.userId }, "aria.chat");
    await track({ apiClientId: k1.id }, "sonic.analysis");
    await track({ apiClientId: k2.id }, "aria.chat");
    await track({ apiClientId: k2.id }, "image.generate");

    const attribution = await usageAttribution(ws);
    expect(attribution.members.map((m) => m.userId).sort()).toEqual([owner.userId, member.userId].sort());
    expect(attribution.keys.map((k) => k.id)).toEqual([k1.id, k2.id]);
    const ids = attributionIds(attribution);
    const actions = ["aria.chat", "image.generate", "sonic.analysis"];
    const rowsFor = async (params: Record<string, string>) => {
      const query = parseHistoryQuery(params, actions, ids);
      expect(query.problems).toEqual([]);
      return { query, rows: (await usageHistoryPage(ws, { filters: query.filters })).rows };
    };
    const byMember = await rowsFor({ member: member.userId });
    expect(byMember.rows.map((r) => r.id).sort()).toEqual(
      made
        .filter((e) => e.userId === member.userId)
        .map((e) => e.id)
        .sort(),
    );
    expect(byMember.rows.every((r) => r.userId === member.userId && r.apiClientId === null)).toBe(true);
    expect(byMember.query.applied).toMatchObject({ member: member.userId, key: "" });
    const byKey = await rowsFor({ key: k2.id, action: "aria.chat" });
    expect(byKey.rows.map((r) => r.id)).toEqual(
      made
        .filter((e) => e.apiClientId === k2.id)
        .slice(0, 1)
        .map((e) => e.id),
    );

    // Unknown ids (another workspace's member or key) are reported and not applied.
    const stranger = await newAccount("stranger");
    const foreignKey = (await keyFor(stranger.workspaceId)).client;
    const bad = parseHistoryQuery({ member: stranger.userId, key: foreignKey.id }, actions, ids);
    expect(bad.filters).toEqual({});
    expect(bad.problems.map((p) => p.field)).toEqual(["member", "key"]);

    const breakdown = await usageBreakdown(ws, {});
    const sum = (match: (e: (typeof made)[number]) => boolean) => made.filter(match).reduce((s, e) => s + e.credits, 0);
    expect(breakdown.events).toBe(made.length);
    expect(breakdown.credits).toBe(sum(() => true));
    expect(breakdown.byActor.find((a) => a.userId === member.userId)).toEqual({
      userId: member.userId,
      apiClientId: null,
      events: 2,
      credits: sum((e) => e.userId === member.userId),
    });
    expect(breakdown.byActor.find((a) => a.apiClientId === k2.id)).toEqual({
      userId: null,
      apiClientId: k2.id,
      events: 2,
      credits: sum((e) => e.apiClientId === k2.id),
    });
    const keyOnly = await usageBreakdown(ws, { apiClientId: k2.id });
    expect(keyOnly.byActor).toHaveLength(1);
    expect(keyOnly.byCategory.map((c) => c.category).sort()).toEqual(["ARIA", "IMAGE"]);

    const csv = await new Response(usageCsvStream(ws, { userId: member.userId })).text();
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe(CSV_COLUMNS.join(","));
    expect(CSV_COLUMNS.slice(-2)).toEqual(["member", "api_key"]);
    expect(lines.slice(1).map((l) => l.split(",").at(-2))).toEqual([member.email, member.email]);
    const keyCsv = await new Response(usageCsvStream(ws, { apiClientId: k2.id })).text();
    expect(
      keyCsv
        .trim()
        .split("\r\n")
        .slice(1)
        .map((l) => l.split(",").at(-1)),
    ).toEqual([`Second key (${k2.prefix})`, `Second key (${k2.prefix})`]);
  });

  it("the metering API records the member an action is done for (member_email) next to the key", async () => {
    const owner = await onPlan("pro", "api-member");
    const member = await join(owner.workspaceId, owner.userId);
    const { key, client } = await keyFor(owner.workspaceId);
    const res = await call(trackPOST, { key, body: { action: "aria.chat", member_email: member.email.toUpperCase() } });
    expect(res.status).toBe(201);
    const event = await db.usageEvent.findUniqueOrThrow({ where: { id: String(res.json.event_id) } });
    expect([event.userId, event.apiClientId]).toEqual([member.userId, client.id]);
    const plain = await call(trackPOST, { key, body: { action: "aria.chat" } });
    const unattributed = await db.usageEvent.findUniqueOrThrow({ where: { id: String(plain.json.event_id) } });
    expect([unattributed.userId, unattributed.apiClientId]).toEqual([null, client.id]);

    const stranger = await newAccount("not-a-member");
    const refused = await call(trackPOST, { key, body: { action: "aria.chat", member_email: stranger.email } });
    expect(refused.status).toBe(422);
    expect(refused.json.error).toMatchObject({
      code: "validation_failed",
      field: "member_email",
      message: `${stranger.email} is not a member of this workspace.`,
    });
    expect((await call(trackPOST, { key, body: { action: "aria.chat", member_email: "not an email" } })).json.error?.code).toBe(
      "invalid_request",
    );
    expect((await usageBreakdown(owner.workspaceId, { userId: member.userId })).byActor).toEqual([
      { userId: member.userId, apiClientId: client.id, events: 1, credits: 1 },
    ]);

    // The usage list shows and filters who caused each event.
    const other = await keyFor(owner.workspaceId);
    await call(trackPOST, { key: other.key, body: { action: "image.generate" } });
    const all = await call(usageGET, { key, path: "/api/v1/usage" });
    expect((all.json.data as { api_key_id: string; member_email: string | null }[]).map((e) => [e.api_key_id, e.member_email])).toEqual([
      [other.client.id, null],
      [client.id, null],
      [client.id, member.email],
    ]);
    const byMember = await call(usageGET, { key, path: `/api/v1/usage?member_email=${encodeURIComponent(member.email)}` });
    expect((byMember.json.data as { id: string }[]).map((e) => e.id)).toEqual([event.id]);
    const byKey = await call(usageGET, { key, path: `/api/v1/usage?api_key_id=${other.client.id}` });
    expect((byKey.json.data as { action: string }[]).map((e) => e.action)).toEqual(["image.generate"]);
    const nobody = await call(usageGET, { key, path: `/api/v1/usage?member_email=${encodeURIComponent(stranger.email)}` });
    expect([nobody.status, nobody.json.data]).toEqual([200, []]);
    expect((await call(usageGET, { key, path: "/api/v1/usage?member_email=nope" })).status).toBe(400);
    const single = await call(eventGET, { key, path: `/api/v1/events/${event.id}`, params: { id: event.id } });
    expect(single.json).toMatchObject({ api_key_id: client.id, member_email: member.email });
  });
});
