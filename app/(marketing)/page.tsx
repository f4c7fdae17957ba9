import { ButtonLink } from "@/components/ui/button";
import { SiteHeader } from "@/components/marketing/site-header";
import { SiteFooter } from "@/components/marketing/site-footer";

/** What Creditbook does, in three parts: each a short section with the few facts that matter. */
const sections = [
  {
    id: "metering",
    eyebrow: "Metering",
    title: "Debit credits for every AI action",
    body: "Your product calls the metering API before or after each chat, analysis or generation. Every change is an entry on an append-only ledger, so the balance always adds up.",
    points: [
      "Sync actions are charged at once; long jobs hold credits and settle or refund when they finish",
      "Hourly caps per API key, and idempotency keys so a retry never charges twice",
      "Out of credits: a clear 402 for your product, and queued work that runs when credits are back",
    ],
  },
  {
    id: "billing",
    eyebrow: "Billing",
    title: "Sell plans and credit packs through Stripe",
    body: "Monthly allowances that reset on the 1st, bonus credits, and packs that never expire — spent in a clear order, with Stripe Checkout and the customer portal doing the payments.",
    points: [
      "Upgrades, downgrades and cancellations follow Stripe's state, whatever order its webhooks arrive in",
      "Auto top-up buys a pack when credits run low, with limits the owner sets",
      "Enterprise deals through a contact form that lands in the operator console",
    ],
  },
  {
    id: "portal",
    eyebrow: "Portal",
    title: "A billing page your customers can trust",
    body: "Credits remaining, when they reset and where they went, by action and by day, for every workspace — with alerts before they run out.",
    points: [
      "Usage history with filters and CSV export, per member and per API key",
      "Teams with roles and invitations; usage alerts by email and webhook",
      "An operator console for prices, grants, the ledger and Stripe events",
    ],
  },
] as const;

export default function HomePage() {
  return (
    <div className="flex min-h-screen flex-col bg-gradient-to-b from-white to-slate-50">
      <SiteHeader />
      <main className="mx-auto w-full max-w-6xl flex-1 px-4 pb-24 pt-16 sm:px-6 sm:pt-24">
        <div className="max-w-3xl">
          <h1 className="text-4xl font-bold tracking-tight text-slate-900 sm:text-6xl">Credits and billing for your AI product</h1>
          <p className="mt-6 text-lg leading-8 text-slate-600">
            Creditbook meters every AI action, enforces quotas, sells plans and credit packs through Stripe, and shows your customers
            exactly where their credits went. Self-hosted, on PostgreSQL.
          </p>
          <div className="mt-10 flex flex-wrap gap-3">
            <ButtonLink href="/signup" className="px-5 py-2.5">
              Start free
            </ButtonLink>
            <ButtonLink href="/login" variant="secondary" className="px-5 py-2.5">
              Sign in
            </ButtonLink>
          </div>
        </div>

        <div className="mt-20 space-y-6 sm:mt-28">
          {sections.map((s) => (
            <section
              key={s.id}
              aria-labelledby={`feature-${s.id}`}
              className="grid gap-6 rounded-2xl bg-white p-6 shadow-sm ring-1 ring-slate-200 sm:p-8 lg:grid-cols-[minmax(0,5fr)_minmax(0,6fr)] lg:gap-12"
            >
              <div>
                <p className="text-sm font-semibold text-indigo-600">{s.eyebrow}</p>
                <h2 id={`feature-${s.id}`} className="mt-2 text-2xl font-bold tracking-tight text-slate-900">
                  {s.title}
                </h2>
                <p className="mt-3 leading-7 text-slate-600">{s.body}</p>
              </div>
              <ul className="space-y-3 self-center text-sm leading-6 text-slate-700">
                {s.points.map((point) => (
                  <li key={point} className="flex gap-3">
                    <span aria-hidden="true" className="mt-2 h-1.5 w-1.5 shrink-0 rounded-full bg-indigo-500" />
                    <span>{point}</span>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>

        <section aria-labelledby="start-heading" className="mt-20 rounded-2xl bg-indigo-600 px-6 py-10 text-center sm:px-10">
          <h2 id="start-heading" className="text-2xl font-bold tracking-tight text-white">
            Try it with 400 free credits
          </h2>
          <p className="mx-auto mt-3 max-w-xl text-indigo-100">
            Create an account, make an API key and record your first action in a few minutes. No card needed.
          </p>
          <div className="mt-6 flex flex-wrap justify-center gap-3">
            <ButtonLink href="/signup" variant="secondary" className="px-5 py-2.5">
              Create an account
            </ButtonLink>
            <ButtonLink href="/pricing" variant="ghost" className="px-5 py-2.5 text-white hover:bg-indigo-500 hover:text-white">
              See pricing
            </ButtonLink>
          </div>
        </section>
      </main>
      <SiteFooter />
    </div>
  );
}
