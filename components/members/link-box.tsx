"use client";

import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-field";

/**
 * A new invitation: mailed to the invitee (when it was) and its link to copy as well, shown once (only
 * its hash is stored).
 */
export function LinkBox({ url, email, mailed, onDone }: { url: string; email: string; mailed: boolean; onDone?: () => void }) {
  return (
    <div role="status" className="rounded-lg bg-emerald-50 p-4 ring-1 ring-inset ring-emerald-200">
      {mailed ? (
        <>
          <p className="text-sm font-semibold text-emerald-900">Invitation mailed to {email}</p>
          <p className="mt-1 text-sm text-emerald-800">
            They’ll find the link in their inbox. You can also copy it and send it another way: it works once, for {email} only, for 7 days.
            It is not shown again (you can make a new one).
          </p>
        </>
      ) : (
        <>
          <p className="text-sm font-semibold text-emerald-900">Invitation link for {email}</p>
          <p className="mt-1 text-sm text-emerald-800">
            We couldn’t mail it, so send it to them yourself: it works once, for {email} only, for 7 days. Copy it now — it is not shown
            again (you can make a new one).
          </p>
        </>
      )}
      <CopyField value={url} label={`Invitation link for ${email}`} copyLabel="Copy link">
        {onDone ? (
          <Button type="button" variant="ghost" onClick={onDone}>
            Done
          </Button>
        ) : null}
      </CopyField>
    </div>
  );
}
