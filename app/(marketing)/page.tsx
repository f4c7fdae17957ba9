import { ButtonLink } from "@/components/ui/button";
import { SiteHeader } from "@/components/marketing/site-header";

const features = [
  { title: "Debit per action", body: "Your AI product calls Creditbook before or after every chat, analysis or generation. Credits move on an append-only ledger." },
  { title: "Plans and packs", body: "Monthly allowances that reset on the 1st, bonus credits, and packs that never expire — spent in a clear order." },
  { title: "A portal people understand", body: "Credits remaining, the reset date and where the credits went, by action type, for every workspace." },
];

export default function HomePage() {
  return (
    <div className="min-h-screen bg-gradient-to-b from-white to-slate-50">
      <SiteHeader />
      <main className="mx-auto max-w-6xl px-6 pb-24 pt-16 sm:pt-24">
        <div className="max-w-3xl">
          <h1 className="text-4xl font-bold tracking-tight text-slate-900 sm:text-6xl">Credits and billing for your AI product</h1>
          <p className="mt-6 text-lg leading-8 text-slate-600">
            Creditbook meters every AI action, enforces quotas, sells plans and credit packs through Stripe, and shows your customers exactly where
            their credits went. Self-hosted, on PostgreSQL.
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
        <ul className="mt-20 grid gap-6 sm:grid-cols-3">
          {features.map((f) => (
            <li key={f.title} className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
              <h2 className="font-semibold text-slate-900">{f.title}</h2>
              <p className="mt-2 text-sm leading-6 text-slate-600">{f.body}</p>
            </li>
          ))}
        </ul>
      </main>
    </div>
  );
}
