"use client";

import Link from "next/link";
import { useState } from "react";
import { Form, OptionsField, SubmitButton, TextField, useFormAction } from "@/components/ui/form";
import { LinkBox } from "@/components/members/link-box";
import type { TeamAction } from "@/components/members/types";
import { WorkspaceField } from "@/components/layout/workspace-scope";

export function InviteForm({ action }: { action: TeamAction }) {
  const [created, setCreated] = useState<{ url: string; email: string; mailed: boolean } | null>(null);
  const form = useFormAction(action, (result, _data, el) => {
    setCreated(result.url && result.email ? { url: result.url, email: result.email, mailed: result.mailed === true } : null);
    el?.reset();
  });
  const upgrade = form.failure?.upgrade;

  return (
    <div className="space-y-4">
      {created ? <LinkBox url={created.url} email={created.email} mailed={created.mailed} onDone={() => setCreated(null)} /> : null}
      <Form
        state={form}
        aria-label="Invite a teammate"
        className="grid gap-4 sm:grid-cols-[1fr_10rem_auto] sm:items-start"
        alertClassName="sm:col-span-3"
        alertExtra={
          upgrade ? (
            <>
              {" "}
              <Link href={upgrade.href} className="font-semibold text-red-800 underline underline-offset-2 hover:text-red-900">
                Compare plans
              </Link>
            </>
          ) : null
        }
      >
        <WorkspaceField />
        <TextField
          id="invite-email"
          name="email"
          type="email"
          label="Email"
          placeholder="teammate@example.com"
          autoComplete="off"
          required
        />
        <OptionsField id="invite-role" name="role" label="Role" defaultValue="MEMBER">
          <option value="MEMBER">Member</option>
          <option value="OWNER">Owner</option>
        </OptionsField>
        <SubmitButton className="sm:mt-7" pendingLabel="Inviting…">
          Invite
        </SubmitButton>
      </Form>
    </div>
  );
}
