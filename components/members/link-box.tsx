"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/** An invitation link to copy and send (it is shown once: only its hash is stored). */
export function LinkBox({ url, email, onDone }: { url: string; email: string; onDone?: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="status" className="rounded-lg bg-emerald-50 p-4 ring-1 ring-inset ring-emerald-200">
      <p className="text-sm font-semibold text-emerald-900">Invitation link for {email}</p>
      <p className="mt-1 text-sm text-emerald-800">
        Send it to them yourself: it works once, for {email} only, for 7 days. Copy it now — it is not shown again (you can make a new one).
      </p>
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
