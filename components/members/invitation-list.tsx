"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { InlineMessage } from "@/components/ui/field";
import { useActions } from "@/components/ui/form";
import { LocalTime } from "@/components/billing/local-time";
import { LinkBox } from "@/components/members/link-box";
import type { InvitationView, TeamAction, TeamActionResult } from "@/components/members/types";
import { useWithWorkspace } from "@/components/layout/workspace-scope";

function InvitationItem({ inv, renewAction, revokeAction }: { inv: InvitationView; renewAction: TeamAction; revokeAction: TeamAction }) {
  const withWorkspace = useWithWorkspace();
  const { pending, error, run: runAction } = useActions<TeamActionResult>();
  const [link, setLink] = useState<{ url: string; mailed: boolean } | null>(null);
  const run = (action: TeamAction) => {
    const data = withWorkspace(new FormData());
    data.set("id", inv.id);
    runAction(
      () => action(data),
      (r) => (r.url ? setLink({ url: r.url, mailed: r.mailed === true }) : undefined),
    );
  };
  return (
    <li aria-label={`Invitation ${inv.email}`} className="space-y-3 px-5 py-4 sm:px-6">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <span className="truncate font-medium text-slate-900">{inv.email}</span>
            <Badge>{inv.role === "OWNER" ? "Owner" : "Member"}</Badge>
            {inv.expired ? <Badge tone="warning">Expired</Badge> : <Badge tone="brand">Pending</Badge>}
          </div>
          <p className="mt-1 text-xs text-slate-500">
            Invited <LocalTime iso={inv.createdAt} />
            {inv.invitedBy ? ` by ${inv.invitedBy}` : null} · {inv.expired ? "expired" : "expires"} <LocalTime iso={inv.expiresAt} />
          </p>
          <InlineMessage className="mt-1 text-red-700">{error}</InlineMessage>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" disabled={pending} aria-label={`New link for ${inv.email}`} onClick={() => run(renewAction)}>
            New link
          </Button>
          <Button
            variant="secondary"
            disabled={pending}
            aria-label={`Withdraw the invitation of ${inv.email}`}
            onClick={() => run(revokeAction)}
          >
            Withdraw
          </Button>
        </div>
      </div>
      {link ? <LinkBox url={link.url} email={inv.email} mailed={link.mailed} onDone={() => setLink(null)} /> : null}
    </li>
  );
}

export function InvitationList({
  invitations,
  renewAction,
  revokeAction,
}: {
  invitations: InvitationView[];
  renewAction: TeamAction;
  revokeAction: TeamAction;
}) {
  if (invitations.length === 0) return <p className="px-5 py-6 text-sm text-slate-500 sm:px-6">No pending invitations.</p>;
  return (
    <ul aria-label="Pending invitations" className="divide-y divide-slate-100">
      {invitations.map((inv) => (
        <InvitationItem key={inv.email} inv={inv} renewAction={renewAction} revokeAction={revokeAction} />
      ))}
    </ul>
  );
}
