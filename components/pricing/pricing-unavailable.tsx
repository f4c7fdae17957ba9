"use client";

import { Button, ButtonLink } from "@/components/ui/button";
import { SiteHeader } from "@/components/marketing/site-header";
import { SiteFooter } from "@/components/marketing/site-footer";

/** The price table could not be read (e.g. the database is down): app/(marketing)/pricing/error.tsx shows this. */
export function PricingUnavailable({ reset }: { reset: () => void }) {
  return (
    <div className="min-h-screen bg-gradient-to-b from-white to-slate-50">
      <SiteHeader current="pricing" />
      <main className="mx-auto max-w-6xl px-4 pb-24 pt-10 sm:px-6 sm:pt-16">
        <h1 className="text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">Pricing</h1>
        <div role="alert" className="mt-8 max-w-xl rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <h2 className="font-semibold text-slate-900">Prices are unavailable right now</h2>
          <p className="mt-2 text-sm text-slate-600">We couldn’t load the current price table. Please try again in a moment.</p>
          <div className="mt-5 flex flex-wrap gap-3">
            <Button onClick={reset}>Try again</Button>
            <ButtonLink href="/" variant="secondary">
              Go home
            </ButtonLink>
          </div>
        </div>
      </main>
      <SiteFooter />
    </div>
  );
}
