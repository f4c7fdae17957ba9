"use client";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { InlineMessage } from "@/components/ui/field";
import { useActions } from "@/components/ui/form";
import { LocalTime } from "@/components/billing/local-time";
import type { MemberView, TeamAction, TeamActionResult } from "@/components/members/types";
import { useWithWorkspace } from "@/components/layout/workspace-scope";
import { BudgetPanel } from "@/components/budgets/budget-panel";
import type { BudgetActions } from "@/components/budgets/types";

type Actions = {
  changeRoleAction: TeamAction;
  removeAction: TeamAction;
  leaveAction: TeamAction;
  budgetActions: BudgetActions;
};

function MemberItem({
  m,
  canManage,
  lastOwner,
  changeRoleAction,
  removeAction,
  leaveAction,
  budgetActions,
}: { m: MemberView; canManage: boolean; lastOwner: boolean } & Actions) {
  const withWorkspace = useWithWorkspace();
  const { pending, error, run: runAction } = useActions<TeamActionResult>();
  const run = (action: TeamAction, fields: Record<string, string>, confirmText?: string) => {
    const data = withWorkspace(new FormData());
    data.set("id", m.id);
    for (const [k, v] of Object.entries(fields)) data.set(k, v);
    runAction(() => action(data), undefined, confirmText);
  };
  const who = m.you ? "yourself" : m.email;
  return (
    <li aria-label={`Member ${m.email}`} className="flex flex-col gap-3 px-5 py-4 sm:flex-row sm:items-center sm:justify-between sm:px-6">
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-2">
          <span className="truncate font-medium text-slate-900">{m.name ?? m.email}</span>
          {m.you ? <Badge tone="brand">You</Badge> : null}
          <Badge tone={m.role === "OWNER" ? "success" : "neutral"}>{m.role === "OWNER" ? "Owner" : "Member"}</Badge>
        </div>
        <p className="mt-1 truncate text-sm text-slate-600">{m.name ? m.email : null}</p>
        <p className="mt-0.5 text-xs text-slate-500">
          Joined <LocalTime iso={m.joinedAt} />
        </p>
        {canManage && lastOwner && m.role === "OWNER" ? (
          <p className="mt-1 text-xs text-slate-500">
            The only owner: make someone else an owner before {m.you ? "you leave or step down" : "removing them"}.
          </p>
        ) : null}
        {m.budget !== undefined ? (
          <BudgetPanel
            label={m.you ? "you" : m.email}
            target={{ scope: "member", memberId: m.userId }}
            budget={m.budget}
            canManage={canManage}
            actions={budgetActions}
          />
        ) : null}
        <InlineMessage className="mt-1 text-red-700">{error}</InlineMessage>
      </div>
      <div className="flex flex-wrap gap-2">
        {canManage && !(lastOwner && m.role === "OWNER") ? (
          <Button
            variant="secondary"
            disabled={pending}
            aria-label={m.role === "OWNER" ? `Make ${who} a member` : `Make ${who} an owner`}
            onClick={() =>
              m.role === "OWNER"
                ? run(
                    changeRoleAction,
                    { role: "MEMBER" },
                    `Make ${who} a member? Members read usage only: API keys and open invitations ${m.you ? "you" : "they"} created here stop working.`,
                  )
                : run(changeRoleAction, { role: "OWNER" })
            }
          >
            {m.role === "OWNER" ? "Make member" : "Make owner"}
          </Button>
        ) : null}
        {canManage && !m.you && !(lastOwner && m.role === "OWNER") ? (
          <Button
            variant="secondary"
            disabled={pending}
            aria-label={`Remove ${m.email}`}
            onClick={() =>
              run(removeAction, {}, `Remove ${m.email} from this workspace? API keys and open invitations they created here stop working.`)
            }
          >
            Remove
          </Button>
        ) : null}
        {m.you && !(lastOwner && m.role === "OWNER") ? (
          <Button
            variant="secondary"
            disabled={pending}
            onClick={() =>
              run(
                leaveAction,
                {},
                "Leave this workspace? API keys and open invitations you created here stop working, and you will need a new invitation to come back.",
              )
            }
          >
            Leave workspace
          </Button>
        ) : null}
      </div>
    </li>
  );
}

export function MemberList({ members, canManage, ...actions }: { members: MemberView[]; canManage: boolean } & Actions) {
  const owners = members.filter((m) => m.role === "OWNER").length;
  return (
    <ul aria-label="Members" className="divide-y divide-slate-100">
      {members.map((m) => (
        <MemberItem key={m.id} m={m} canManage={canManage} lastOwner={owners === 1} {...actions} />
      ))}
    </ul>
  );
}
