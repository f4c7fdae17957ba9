import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Fragment } from "react";
import { mailDelivers, outboxVisible, recentMail } from "@/lib/mail";
import { Logo } from "@/components/ui/logo";
import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/billing/local-time";
import { Field } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Mail outbox (demo)" };

const URL_PATTERN = /(https?:\/\/[^\s<>"]+)/g;

/** The message's text with its links clickable. */
function Linkified({ text }: { text: string }) {
  return (
    <>
      {text.split(URL_PATTERN).map((part, i) =>
        i % 2 === 1 ? (
          <a key={i} href={part} className="break-all font-medium text-indigo-700 underline hover:text-indigo-600">
            {part}
          </a>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}

/**
 * Demo and test mode only (404 otherwise): the mail the app wrote to its outbox, newest first, so a
 * newcomer can follow verification and reset links without a mail server.
 */
export default async function DevMailPage({ searchParams }: { searchParams: Promise<{ to?: string }> }) {
  if (!outboxVisible()) notFound();
  const { to } = await searchParams;
  const filter = typeof to === "string" && to.trim() ? to.trim().toLowerCase().slice(0, 254) : undefined;
  const messages = await recentMail({ to: filter, limit: 50 });
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-4xl items-center justify-between gap-4 px-4 py-3 sm:px-6">
          <Logo />
          <Badge tone="warning">Demo only</Badge>
        </div>
      </header>
      <main className="mx-auto max-w-4xl space-y-6 px-4 py-8 sm:px-6">
        <PageHeader
          title="Mail outbox"
          description={
            <>
              {mailDelivers()
                ? "Every message the app sent over SMTP, as it was sent."
                : "No mail server is configured (SMTP_URL), so messages stay here instead of being sent. Click a link to follow it."}{" "}
              The newest 50 are shown; this page does not exist outside demo and test mode.
            </>
          }
        />
        <form method="get" className="flex flex-col gap-2 sm:flex-row sm:items-end">
          <Field
            id="to"
            name="to"
            type="email"
            label="Recipient"
            defaultValue={filter ?? ""}
            placeholder="Every recipient"
            className="flex-1"
          />
          <button
            type="submit"
            className="rounded-md bg-white px-3.5 py-2 text-sm font-semibold text-slate-900 shadow-xs ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
          >
            Filter
          </button>
        </form>
        {messages.length === 0 ? (
          <p className="rounded-xl bg-white px-5 py-10 text-center text-sm text-slate-600 shadow-sm ring-1 ring-slate-200">
            {filter ? `No mail to ${filter} yet.` : "No mail yet. Sign up or ask for a password reset, and the message appears here."}
          </p>
        ) : (
          <ol className="space-y-4" aria-label="Messages, newest first">
            {messages.map((m) => (
              <li key={m.id}>
                <article aria-labelledby={`mail-${m.id}`} className="rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
                  <div className="flex flex-wrap items-start justify-between gap-2 border-b border-slate-100 px-5 py-3">
                    <div className="min-w-0">
                      <h2 id={`mail-${m.id}`} className="font-semibold text-slate-900">
                        {m.subject}
                      </h2>
                      <p className="mt-0.5 break-all text-sm text-slate-600">To {m.to}</p>
                    </div>
                    <div className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
                      <Badge>{m.kind.replace(/_/g, " ")}</Badge>
                      {m.error ? (
                        <Badge tone="warning">Not sent</Badge>
                      ) : m.sentAt ? (
                        <Badge tone="success">Sent</Badge>
                      ) : (
                        <Badge tone="brand">In outbox</Badge>
                      )}
                      <LocalTime iso={m.createdAt.toISOString()} />
                    </div>
                  </div>
                  <p className="whitespace-pre-wrap px-5 py-4 text-sm leading-6 text-slate-800">
                    <Linkified text={m.text} />
                  </p>
                  {m.error ? <p className="border-t border-slate-100 px-5 py-3 text-sm text-red-700">SMTP error: {m.error}</p> : null}
                </article>
              </li>
            ))}
          </ol>
        )}
      </main>
    </div>
  );
}
