"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * A new invitation: mailed to the invitee (when it was) and its link to copy as well, shown once (only
 * its hash is stored).
 */
export function LinkBox({ url, email, mailed, onDone }: { url: string; email: string; mailed: boolean; onDone?: () => void }) {
  const [copied, setCopied] = useState(false);
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
      <div className="mt-3 flex flex-col gap-2 sm:flex-row">
        <input
          readOnly
          aria-label={`Invitation link for ${email}`}
          value={url}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded-md border-0 bg-white px-3 py-2 font-mono text-xs text-slate-900 ring-1 ring-inset ring-emerald-300"
        />
        <div className="flex gap-2">
          <Button
            type="button"
            variant="secondary"
            onClick={async () => {
              await navigator.clipboard.writeText(url);
              setCopied(true);
            }}
          >
            {copied ? "Copied" : "Copy link"}
          </Button>
          {onDone ? (
            <Button type="button" variant="ghost" onClick={onDone}>
              Done
            </Button>
          ) : null}
        </div>
      </div>
    </div>
  );
}
