import type { Metadata } from "next";
import Link from "next/link";
import { requireWorkspace } from "@/lib/auth/session";
import { listInvitations } from "@/lib/teams/invitations";
import { listMembers, teamSeats, workspacePlan } from "@/lib/teams/members";
import { nextPlanAllowing } from "@/lib/teams/limits";
import { CardBody, TitledCard } from "@/components/ui/card";
import { InviteForm } from "@/components/members/invite-form";
import { InvitationList } from "@/components/members/invitation-list";
import { MemberList } from "@/components/members/member-list";
import { budgetStatus } from "@/lib/credits";
import { removeBudgetAction, setBudgetAction } from "../budget-actions";
import {
  changeRoleAction,
  inviteAction,
  leaveWorkspaceAction,
  removeMemberAction,
  renewInvitationAction,
  revokeInvitationAction,
} from "./actions";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Members" };

function seatsText(seats: { limit: number | null; used: number; members: number; pending: number }): string {
  const people = `${seats.members} member${seats.members === 1 ? "" : "s"}${seats.pending > 0 ? ` + ${seats.pending} pending` : ""}`;
  if (seats.limit === null) return `${people} · unlimited seats`;
  return `${seats.used} of ${seats.limit} seat${seats.limit === 1 ? "" : "s"} used (${people})`;
}

export default async function MembersPage() {
  const { user, workspace, role } = await requireWorkspace();
  const owner = role === "OWNER";
  const [members, invitations, seats, plan, budgets] = await Promise.all([
    listMembers(workspace.id),
    owner ? listInvitations(workspace.id) : Promise.resolve([]),
    teamSeats(workspace.id),
    workspacePlan(workspace.id),
    budgetStatus(workspace.id),
  ]);
  // Owners see every member's budget; a member sees their own.
  const budgetOf = (userId: string) =>
    owner || userId === user.id ? (budgets.find((b) => b.scope === "member" && b.member_id === userId) ?? null) : undefined;
  const full = seats.limit !== null && seats.used >= seats.limit;
  const next = full ? await nextPlanAllowing(plan.id, "seats", seats.used + 1) : null;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Members"
        description={
          <>
            Who can see and manage {workspace.name}. {plan.name} plan: {seatsText(seats)}.
          </>
        }
      />

      {owner ? (
        <TitledCard
          title="Invite a teammate"
          description="You get a link to send them; they join once they sign in (or sign up) with that email address."
        >
          <CardBody className="space-y-4">
            {full ? (
              <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-inset ring-amber-200">
                Every seat of the {plan.name} plan is taken.{" "}
                {next ? (
                  <Link href="/settings/billing#plans" className="font-semibold underline underline-offset-2">
                    Upgrade to {next.name} for {next.limit === null ? "unlimited seats" : `${next.limit} seats`}
                  </Link>
                ) : (
                  "Contact us for more seats"
                )}
                , or withdraw an invitation or remove a member.
              </p>
            ) : null}
            <InviteForm action={inviteAction} />
          </CardBody>
        </TitledCard>
      ) : (
        <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">
          Only workspace owners can invite, remove or change the role of members.
        </p>
      )}

      <TitledCard
        title="Members"
        description="Owners buy credits, change the plan and manage keys, alerts, members and their credit budgets. Members see usage, history and their own budget."
      >
        <MemberList
          canManage={owner}
          members={members.map((m) => ({
            id: m.id,
            userId: m.userId,
            email: m.email,
            name: m.name,
            role: m.role,
            joinedAt: m.joinedAt.toISOString(),
            you: m.userId === user.id,
            budget: budgetOf(m.userId),
          }))}
          changeRoleAction={changeRoleAction}
          removeAction={removeMemberAction}
          leaveAction={leaveWorkspaceAction}
          budgetActions={{ set: setBudgetAction, remove: removeBudgetAction }}
        />
      </TitledCard>

      {owner ? (
        <TitledCard title="Pending invitations" description="Each holds a seat until it is accepted, withdrawn or expires (after 7 days).">
          <InvitationList
            invitations={invitations.map((i) => ({ ...i, createdAt: i.createdAt.toISOString(), expiresAt: i.expiresAt.toISOString() }))}
            renewAction={renewInvitationAction}
            revokeAction={revokeInvitationAction}
          />
        </TitledCard>
      ) : null}
    </div>
  );
}
