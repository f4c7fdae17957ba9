"use client";

import Link from "next/link";
import { useState } from "react";
import { ActionButton } from "@/components/ui/form";

type Result = { ok: true } | { ok: false; message: string };

/** Shown at the top of every portal page until the address is verified. */
export function VerifyEmailNotice({
  email,
  bonus,
  outbox,
  resend,
}: {
  email: string;
  bonus: string | null;
  outbox: boolean;
  resend: () => Promise<Result>;
}) {
  const [status, setStatus] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  return (
    <section aria-label="Email verification" className="border-b border-amber-200 bg-amber-50">
      <div className="mx-auto flex max-w-6xl flex-col gap-x-6 gap-y-2 px-4 py-3 text-sm text-amber-900 sm:flex-row sm:items-center sm:justify-between sm:px-6">
        <p className="min-w-0">
          <span className="font-semibold">{bonus ? `Verify your email to get ${bonus} bonus credits.` : "Verify your email address."}</span>{" "}
          We sent a link to <span className="font-medium">{email}</span>.
          {outbox ? (
            <>
              {" "}
              Demo mode:{" "}
              <Link href={`/dev/mail?to=${encodeURIComponent(email)}`} className="font-semibold underline">
                open the mail outbox
              </Link>
              .
            </>
          ) : null}
        </p>
        <div className="flex shrink-0 items-center gap-3">
          {status ? (
            <span role="status" className={status.tone === "ok" ? "text-emerald-800" : "text-red-700"}>
              {status.text}
            </span>
          ) : null}
          <ActionButton
            variant="secondary"
            pendingLabel="Sending…"
            action={resend}
            onResult={(result) =>
              setStatus(result.ok ? { tone: "ok", text: "Sent — check your inbox." } : { tone: "error", text: result.message })
            }
          >
            Resend
          </ActionButton>
        </div>
      </div>
    </section>
  );
}
