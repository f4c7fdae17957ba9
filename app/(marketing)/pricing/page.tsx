import type { Metadata } from "next";
import { CardBody, TitledCard } from "@/components/ui/card";
import { ActionTable, type ActionView } from "@/components/pricing/action-table";
import { Estimator } from "@/components/pricing/estimator";
import { PackCards, type PackView } from "@/components/pricing/pack-cards";
import { PlanCards, type PlanView } from "@/components/pricing/plan-cards";
import { SiteHeader } from "@/components/marketing/site-header";
import { SiteFooter } from "@/components/marketing/site-footer";
import { activePacks, creditsToUsd, currentPrices } from "@/lib/pricing/catalog";
import { listPlans } from "@/lib/pricing/plans";
import { UPGRADE_THRESHOLD_PERCENT } from "@/lib/pricing/estimate";
import { x402Config } from "@/lib/env";

// Read live on every request: a price, plan or pack edit shows on the next page load.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Pricing",
  description: "Plans, credit packs and what every AI action costs, with an estimator for your monthly usage.",
};

export default async function PricingPage() {
  const [prices, planRows, packRows] = await Promise.all([currentPrices(), listPlans(), activePacks()]);

  const plans: PlanView[] = planRows.map((p) => ({
    id: p.id,
    name: p.name,
    monthlyCredits: p.monthlyCredits,
    priceMonthlyCents: p.priceMonthlyCents,
    priceYearlyCents: p.priceYearlyCents,
    contactSales: p.contactSales,
    trialDays: p.trialDays,
    seats: p.seats,
  }));
  const packs: PackView[] = packRows.map((p) => ({
    id: p.id,
    name: p.name,
    credits: p.credits,
    priceCents: p.priceCents,
    validityDays: p.validityDays,
  }));
  const actions: ActionView[] = prices.map((p) => ({
    actionKey: p.actionKey,
    name: p.name,
    category: p.category,
    credits: p.credits,
    usd: `$${creditsToUsd(p.credits)}`,
    sync: p.sync,
    reserveCredits: p.sync ? null : (p.reserveCredits ?? p.credits),
  }));

  const x402 = x402Config();
  const network = x402.network === "eip155:8453" ? "Base" : "Base Sepolia (test network)";

  return (
    <div className="min-h-screen bg-gradient-to-b from-white to-slate-50">
      <SiteHeader current="pricing" />
      <main className="mx-auto max-w-6xl space-y-16 px-4 pb-24 pt-10 sm:px-6 sm:pt-16">
        <div className="max-w-3xl">
          <h1 className="text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">Pricing</h1>
          <p className="mt-5 text-lg leading-8 text-slate-600">
            Every AI action costs a few credits. A plan gives you a monthly allowance that resets on the 1st; credit packs top you up and
            never expire. Not sure how much you need?{" "}
            <a href="#estimator" className="font-semibold text-indigo-600 hover:text-indigo-500">
              Estimate your usage
            </a>
            .
          </p>
        </div>

        <section aria-labelledby="plans-heading">
          <h2 id="plans-heading" className="text-2xl font-semibold tracking-tight text-slate-900">
            Plans
          </h2>
          <p className="mt-2 max-w-3xl text-sm text-slate-600">
            Monthly allowances reset at 00:00 UTC on the 1st and unused plan credits don’t roll over. Above {UPGRADE_THRESHOLD_PERCENT}% of
            your allowance we suggest the next tier.
          </p>
          <div className="mt-6">
            <PlanCards plans={plans} />
          </div>
        </section>

        <section aria-labelledby="packs-heading" className="render-when-visible">
          <h2 id="packs-heading" className="text-2xl font-semibold tracking-tight text-slate-900">
            Credit packs
          </h2>
          <p className="mt-2 max-w-3xl text-sm text-slate-600">
            One-time top-ups at 1 credit = $0.01, no subscription needed. Buy them from Settings → Billing once you have an account;
            purchased credits are spent after your plan allowance and bonus credits.
          </p>
          <div className="mt-6">
            <PackCards packs={packs} />
          </div>
        </section>

        {/* No Suspense boundary here: React may stream a large boundary's content apart and reveal it with a
            script, and the estimator must read without JavaScript too. */}
        <div className="render-when-visible">
          <Estimator
            actions={actions.map((a) => ({ actionKey: a.actionKey, name: a.name, category: a.category, credits: a.credits }))}
            plans={plans}
            packs={packs}
          />
        </div>

        <TitledCard
          title="What each action costs"
          description="The live price table. Async actions hold (reserve) credits when they start, are charged the actual cost when they finish, and are released if they fail."
        >
          <ActionTable actions={actions} />
        </TitledCard>

        <section aria-labelledby="agents-heading" className="rounded-2xl bg-slate-900 px-6 py-8 text-slate-100 sm:px-10">
          <h2 id="agents-heading" className="text-2xl font-semibold tracking-tight text-white">
            Pay per call for agents
          </h2>
          <p className="mt-3 max-w-3xl text-sm leading-6 text-slate-300">
            AI agents without credits — or without an account — can pay a single call in USDC on {network} with{" "}
            <a href="https://www.x402.org" className="font-semibold text-amber-300 hover:text-amber-200">
              x402
            </a>
            , at the same price as credits: 1 credit = $0.01. Running out of credits is never a dead end.
            {x402.enabled ? null : " Pay-per-call is turned off on this server."}
          </p>
          <ol className="mt-5 grid gap-4 text-sm sm:grid-cols-3">
            {[
              [
                "Ask",
                "Out of credits, a metered call answers 402 with the price of that one call in the PAYMENT-REQUIRED header (a ceiling quote from the live price table above).",
              ],
              [
                "Sign",
                "The agent’s wallet signs a USDC transfer authorization for exactly that amount (EIP-3009; any x402 client, e.g. @x402/fetch).",
              ],
              [
                "Retry",
                "The call is retried with PAYMENT-SIGNATURE: it is settled once, recorded as paid with x402, and the answer carries PAYMENT-RESPONSE with the transaction.",
              ],
            ].map(([step, text], i) => (
              <li key={step} className="rounded-xl bg-slate-800/70 p-4 ring-1 ring-slate-700">
                <p className="font-semibold text-white">
                  {i + 1}. {step}
                </p>
                <p className="mt-1 leading-6 text-slate-300">{text}</p>
              </li>
            ))}
          </ol>
          <p className="mt-5 max-w-3xl text-sm leading-6 text-slate-300">
            A wallet can also buy a credit pack with{" "}
            <code className="rounded bg-slate-800 px-1 py-0.5 text-amber-200">POST /api/x402/credits</code>: its first payment opens a
            workspace with an API key. Prices per tool, in USDC:{" "}
            {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a JSON endpoint, not a page (the rule mistakes app/api/[...path] for one) */}
            <a href="/api/x402/status" className="font-semibold text-amber-300 hover:text-amber-200">
              /api/x402/status
            </a>
            .
          </p>
        </section>

        <TitledCard className="render-when-visible" title="Good to know">
          <CardBody>
            <dl className="grid gap-6 text-sm sm:grid-cols-2">
              {[
                [
                  "Do credits roll over?",
                  "Plan credits don’t: they reset on the 1st of each month (annual plans: each month on the renewal day). Purchased pack credits never expire unless the pack says so.",
                ],
                ["What uses credits first?", "Your plan allowance, then bonus credits, then purchased credits."],
                [
                  "What happens when I run out?",
                  "Chat and generation are refused with an upgrade prompt, sonic analysis is queued until your credits reset, and MCP tools answer 429. Your data is untouched.",
                ],
                [
                  "Are background jobs metered?",
                  "No. Server-side refreshes and cached reads cost 0 credits; only AI actions you trigger are charged.",
                ],
              ].map(([q, a]) => (
                <div key={q}>
                  <dt className="font-semibold text-slate-900">{q}</dt>
                  <dd className="mt-1 leading-6 text-slate-600">{a}</dd>
                </div>
              ))}
            </dl>
          </CardBody>
        </TitledCard>
      </main>
      <SiteFooter note="Prices in US dollars. 1 credit = $0.01 for packs; plans cost less per credit." />
    </div>
  );
}
