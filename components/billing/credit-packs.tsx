"use client";

import { Button } from "@/components/ui/button";
import { CardBody, TitledCard } from "@/components/ui/card";
import { FormAlert } from "@/components/ui/field";
import { useStripeRedirect } from "@/components/billing/use-stripe-redirect";
import { useBillingApi } from "@/components/billing/billing-api";
import { StripeWindowLink } from "@/components/billing/stripe-window-link";
import { formatCents, formatCredits } from "@/lib/format";

export type PackView = { id: string; name: string; credits: number; priceCents: number; validityDays: number | null };

/** Credit packs for sale: one Buy button each, through Stripe Checkout. Members see prices only. */
export function CreditPacks({ packs, canBuy }: { packs: PackView[]; canBuy: boolean }) {
  const { pending, error, blocked, go } = useStripeRedirect();
  const api = useBillingApi();
  return (
    <TitledCard
      id="packs-heading"
      anchor="packs"
      title="Buy credits"
      description="One-time credit packs, no subscription needed. Purchased credits are spent after your plan allowance and bonus."
    >
      <CardBody>
        {packs.length === 0 ? (
          <p className="text-sm text-slate-500">No credit packs are on sale right now.</p>
        ) : (
          <ul className="grid gap-4 sm:grid-cols-3">
            {packs.map((pack) => (
              <li key={pack.id} className="flex flex-col rounded-lg p-4 ring-1 ring-inset ring-slate-200">
                <h3 className="text-sm font-medium text-slate-600">{pack.name}</h3>
                <p className="mt-1 text-2xl font-semibold tracking-tight text-slate-900 tabular-nums">
                  {formatCredits(pack.credits)} credits
                </p>
                <p className="mt-1 text-sm text-slate-600">
                  {formatCents(pack.priceCents)} · {pack.validityDays ? `valid ${pack.validityDays} days` : "never expire"}
                </p>
                {canBuy ? (
                  <Button
                    className="mt-4"
                    disabled={pending !== null}
                    onClick={() => go(pack.id, api.routes.checkout, { pack_id: pack.id })}
                  >
                    {pending === pack.id
                      ? "Opening checkout…"
                      : `Buy ${formatCredits(pack.credits)} credits for ${formatCents(pack.priceCents)}`}
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {!canBuy ? <p className="mt-4 text-sm text-slate-500">Only workspace owners can buy credits.</p> : null}
        {error ? <FormAlert className="mt-4">{error}</FormAlert> : null}
        <StripeWindowLink url={blocked} className="mt-4" />
      </CardBody>
    </TitledCard>
  );
}
