"use client";

import Link from "next/link";
import { useRef, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormAlert } from "@/components/ui/field";
import { LinkBox } from "@/components/members/link-box";
import type { TeamAction, TeamActionResult } from "@/components/members/types";
import { WorkspaceField } from "@/components/layout/workspace-scope";

export function InviteForm({ action }: { action: TeamAction }) {
  const form = useRef<HTMLFormElement>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<Extract<TeamActionResult, { ok: false }> | null>(null);
  const [created, setCreated] = useState<{ url: string; email: string; mailed: boolean } | null>(null);
  const [pending, startTransition] = useTransition();

  return (
    <div className="space-y-4">
      {created ? <LinkBox url={created.url} email={created.email} mailed={created.mailed} onDone={() => setCreated(null)} /> : null}
      <form
        ref={form}
        noValidate
        aria-label="Invite a teammate"
        className="grid gap-4 sm:grid-cols-[1fr_10rem_auto] sm:items-start"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          setFailure(null);
          startTransition(async () => {
            const result = await action(data);
            if (!result.ok) {
              setFields(result.fields ?? {});
              setFailure(result.message && !result.fields ? result : null);
              return;
            }
            setFields({});
            setCreated(result.url && result.email ? { url: result.url, email: result.email, mailed: result.mailed === true } : null);
            form.current?.reset();
          });
        }}
      >
        <WorkspaceField />
        {failure?.message ? (
          <div className="sm:col-span-3">
            <FormAlert>
              {failure.message}
              {failure.upgrade ? (
                <>
                  {" "}
                  <Link href={failure.upgrade.href} className="font-semibold text-red-800 underline underline-offset-2 hover:text-red-900">
                    Compare plans
                  </Link>
                </>
              ) : null}
            </FormAlert>
          </div>
        ) : null}
        <Field
          id="invite-email"
          name="email"
          type="email"
          label="Email"
          placeholder="teammate@example.com"
          autoComplete="off"
          required
          error={fields.email}
        />
        <div>
          <label htmlFor="invite-role" className="block text-sm font-medium text-slate-900">
            Role
          </label>
          <select
            id="invite-role"
            name="role"
            defaultValue="MEMBER"
            className="mt-1.5 block w-full rounded-md border-0 bg-white py-2 pl-3 pr-8 text-slate-900 shadow-xs ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600 sm:text-sm"
          >
            <option value="MEMBER">Member</option>
            <option value="OWNER">Owner</option>
          </select>
        </div>
        <Button type="submit" disabled={pending} className="sm:mt-7">
          {pending ? "Inviting…" : "Invite"}
        </Button>
      </form>
    </div>
  );
}
