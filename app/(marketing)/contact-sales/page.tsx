import type { Metadata } from "next";
import Link from "next/link";
import { SiteHeader } from "@/components/marketing/site-header";
import { SiteFooter } from "@/components/marketing/site-footer";
import { ContactSalesForm } from "@/components/sales/contact-sales-form";
import { optionalWorkspace } from "@/lib/auth/session";
import { listPlans } from "@/lib/pricing/plans";
import { LEAD_MAX, LEAD_SOURCES, type LeadSource } from "@/lib/sales/leads";
import { formatCents } from "@/lib/format";
import { contactSalesAction } from "./actions";

// Reads the session (prefill) and the live plans.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Contact sales",
  description: "Unlimited credits, volume pricing and unlimited seats: tell us what you need and we’ll reply within one business day.",
};

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function Point({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <li className="flex gap-3">
      <svg aria-hidden="true" viewBox="0 0 20 20" className="mt-0.5 h-5 w-5 shrink-0 fill-indigo-600">
        <path d="M16.7 5.3a1 1 0 0 1 0 1.4l-7.5 7.5a1 1 0 0 1-1.4 0L3.3 9.7a1 1 0 1 1 1.4-1.4l3.8 3.8 6.8-6.8a1 1 0 0 1 1.4 0Z" />
      </svg>
      <span>
        <span className="font-semibold text-slate-900">{title}</span> <span className="text-slate-600">{children}</span>
      </span>
    </li>
  );
}

export default async function ContactSalesPage({ searchParams }: { searchParams: SearchParams }) {
  const query = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const [context, plans] = await Promise.all([optionalWorkspace(), listPlans()]);
  // The plan asked about: the one the link named if it is sold through sales, else the first such plan.
  const salesPlans = plans.filter((p) => p.contactSales);
  const plan = salesPlans.find((p) => p.id === one(query.plan)) ?? salesPlans[0] ?? null;
  const source = LEAD_SOURCES.find((s): s is LeadSource => s === one(query.from)) ?? null;
  const back =
    source === "billing"
      ? { href: "/settings/billing#plans", label: "Back to billing" }
      : { href: "/pricing#plans", label: "Back to pricing" };

  return (
    <div className="min-h-screen bg-gradient-to-b from-white to-slate-50">
      <SiteHeader />
      <main className="mx-auto grid max-w-6xl gap-10 px-4 pb-24 pt-10 sm:px-6 sm:pt-16 lg:grid-cols-[minmax(0,5fr)_minmax(0,7fr)] lg:gap-16">
        <div>
          <p className="text-sm font-semibold text-indigo-600">{plan ? plan.name : "Sales"}</p>
          <h1 className="mt-2 text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">Contact sales</h1>
          <p className="mt-5 text-lg leading-8 text-slate-600">
            {plan
              ? `${plan.name} is for products that outgrow a monthly allowance. Tell us what you’re building and we’ll put together a quote.`
              : "Tell us what you’re building and we’ll put together a quote."}
          </p>
          {plan ? (
            <p className="mt-6 flex items-baseline gap-1.5">
              <span className="text-sm text-slate-500">from</span>
              <span className="text-3xl font-bold tracking-tight text-slate-900 tabular-nums">{formatCents(plan.priceMonthlyCents)}</span>
              <span className="text-sm text-slate-500">/month</span>
            </p>
          ) : null}
          <ul className="mt-6 space-y-4 border-t border-slate-200 pt-6 text-sm leading-6">
            <Point title="Unlimited credits.">
              Every action is still metered and shown in your breakdowns; nothing is refused for balance.
            </Point>
            <Point title="Volume pricing.">A price per month that fits your traffic, billed monthly or annually.</Point>
            <Point title="Unlimited seats.">Invite your whole team as owners or members.</Point>
            <Point title="A person who answers.">We reply within one business day, then help you move your workspace over.</Point>
          </ul>
          <p className="mt-8 text-sm text-slate-600">
            Smaller needs?{" "}
            <Link href="/pricing#plans" className="font-semibold text-indigo-600 hover:text-indigo-500">
              Compare the self-serve plans
            </Link>
            .
          </p>
        </div>

        <section
          aria-labelledby="contact-form-heading"
          className="self-start rounded-2xl bg-white p-6 shadow-sm ring-1 ring-slate-200 sm:p-8"
        >
          <h2 id="contact-form-heading" className="text-xl font-semibold tracking-tight text-slate-900">
            Tell us about your product
          </h2>
          <p className="mt-1 text-sm text-slate-600">All fields except the expected credits are required.</p>
          {context ? (
            <p className="mt-4 rounded-md bg-indigo-50 px-3 py-2 text-sm text-indigo-900 ring-1 ring-inset ring-indigo-200">
              Signed in as <span className="font-semibold">{context.user.email}</span>. Your request will name the workspace{" "}
              <span className="font-semibold">{context.workspace.name}</span>, so we can see its plan and usage when we reply.
            </p>
          ) : null}
          <div className="mt-6">
            <ContactSalesForm
              action={contactSalesAction}
              prefill={context ? { name: context.user.name ?? "", email: context.user.email, workspaceName: context.workspace.name } : null}
              planId={plan?.id ?? null}
              source={source}
              back={back}
              limits={{ name: LEAD_MAX.name, company: LEAD_MAX.company, message: LEAD_MAX.message }}
            />
          </div>
        </section>
      </main>
      <SiteFooter />
    </div>
  );
}
