"use client";

import Link from "next/link";
import { Form, MultilineField, NumberField, SubmitButton, TextField, useFormAction } from "@/components/ui/form";
import { formatInteger } from "@/lib/format";

type Result = { ok: true; email: string; name: string } | { ok: false; message?: string; fields?: Record<string, string> };

export type ContactSalesPrefill = { name: string; email: string; workspaceName: string | null };
type Props = {
  action: (formData: FormData) => Promise<Result>;
  prefill: ContactSalesPrefill | null;
  planId: string | null;
  source: "pricing" | "billing" | null;
  /** Where "Back" goes after sending: the page the visitor came from. */
  back: { href: string; label: string };
  limits: { name: number; company: number; message: number };
};

/**
 * The Contact sales form. The browser's own checks are off (noValidate): the server action validates
 * every field and answers with a message under each one that needs another look.
 */
export function ContactSalesForm({ action, prefill, planId, source, back, limits }: Props) {
  const form = useFormAction(action);
  const sent = form.succeeded;

  if (sent) {
    return (
      <div role="status" className="space-y-4 text-sm text-slate-700">
        <div className="flex items-center gap-3">
          <span className="flex h-10 w-10 shrink-0 items-center justify-center rounded-full bg-emerald-50 ring-1 ring-emerald-200">
            <svg aria-hidden="true" viewBox="0 0 20 20" className="h-5 w-5 fill-emerald-600">
              <path d="M16.7 5.3a1 1 0 0 1 0 1.4l-7.5 7.5a1 1 0 0 1-1.4 0L3.3 9.7a1 1 0 1 1 1.4-1.4l3.8 3.8 6.8-6.8a1 1 0 0 1 1.4 0Z" />
            </svg>
          </span>
          <p className="text-lg font-semibold text-slate-900">Thanks, {sent.name}: your message is with our sales team.</p>
        </div>
        <p className="text-base leading-7">
          We’ll reply to <span className="font-semibold text-slate-900">{sent.email}</span> within one business day.
        </p>
        <p className="leading-6 text-slate-600">
          Nothing changes on your account until you decide: we’ll send a quote and set up Enterprise with you.
        </p>
        <Link href={back.href} className="inline-flex font-semibold text-indigo-600 hover:text-indigo-500">
          <span aria-hidden="true">←&nbsp;</span>
          {back.label}
        </Link>
      </div>
    );
  }

  return (
    <Form state={form} className="space-y-5" aria-label="Contact sales">
      {planId ? <input type="hidden" name="plan" value={planId} /> : null}
      {source ? <input type="hidden" name="source" value={source} /> : null}
      <div className="grid gap-5 sm:grid-cols-2">
        <TextField
          id="lead-name"
          name="name"
          label="Your name"
          autoComplete="name"
          required
          maxLength={limits.name}
          defaultValue={prefill?.name}
        />
        <TextField
          id="lead-email"
          name="email"
          label="Work email"
          type="email"
          autoComplete="email"
          required
          defaultValue={prefill?.email}
        />
        <TextField
          id="lead-company"
          name="company"
          label="Company"
          autoComplete="organization"
          required
          maxLength={limits.company}
          defaultValue={prefill?.workspaceName ?? ""}
        />
        <NumberField
          id="lead-credits"
          name="expectedMonthlyCredits"
          label="Expected credits a month (optional)"
          autoComplete="off"
          placeholder="e.g. 50,000"
          hint="A rough figure is fine."
        />
      </div>
      <MultilineField
        id="lead-message"
        name="message"
        label="How can we help?"
        rows={5}
        required
        maxLength={limits.message}
        placeholder="What you are building, the actions you meter, seats, billing or security needs…"
        hint={`Up to ${formatInteger(limits.message)} characters.`}
      />
      <div className="flex flex-col-reverse gap-3 sm:flex-row sm:items-center sm:justify-between">
        <p className="text-xs text-slate-500">We use these details only to answer you.</p>
        <SubmitButton className="w-full sm:w-auto" pendingLabel="Sending…">
          Send to sales
        </SubmitButton>
      </div>
    </Form>
  );
}
