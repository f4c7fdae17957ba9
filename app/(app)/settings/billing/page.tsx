import type { Metadata } from "next";
import { packTerms, planTerms } from "@/lib/billing/views";
import { Suspense } from "react";
import { requireWorkspace } from "@/lib/auth/session";
import { getBalance } from "@/lib/credits";
import { activePacks } from "@/lib/pricing/catalog";
import { listPlans } from "@/lib/pricing/plans";
import { loadPlanState } from "@/lib/billing/plan-state";
import { CHECKOUT_SESSION_ID, settleCheckoutReturn } from "@/lib/billing/stripe/checkout-return";
import { paymentsConfigured, paymentsSimulated } from "@/lib/billing/stripe/client";
import { BillingPanel } from "@/components/billing/billing-panel";
import { PastPeriod } from "@/components/billing/past-period";
import { pastPeriodView } from "@/lib/usage/periods";
import { CheckoutNotice } from "@/components/billing/checkout-notice";
import { CreditPacks } from "@/components/billing/credit-packs";
import { ManageBillingButton } from "@/components/billing/manage-billing-button";
import { PlanPicker } from "@/components/billing/plan-picker";
import { PlanStatus } from "@/components/billing/plan-status";
import { Badge } from "@/components/ui/badge";
import { AutoTopUpCard } from "@/components/billing/auto-top-up";
import { getAutoTopUp, syncCardSetup } from "@/lib/billing/stripe/auto-top-up";
import { billingOverview } from "@/lib/billing/stripe/billing-overview";
import { PORTAL_RETURN_MARK } from "@/lib/billing/stripe/portal";
import { syncAfterPortal } from "@/lib/billing/stripe/subscriptions";
import { InvoicesCard, InvoicesCardLoading } from "@/components/billing/invoices-card";
import { withUsageAlerts } from "@/lib/alerts/usage-alerts";
import { dismissUsageAlertAction } from "../alerts/actions";
import { removeBudgetAction, setBudgetAction } from "../budget-actions";
import { budgetStatus } from "@/lib/credits";
import { CardBody, TitledCard } from "@/components/ui/card";
import { BudgetPanel } from "@/components/budgets/budget-panel";

export const metadata: Metadata = { title: "Billing" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function BillingPage({ searchParams }: { searchParams: SearchParams }) {
  const { workspace, role } = await requireWorkspace();
  const query = await searchParams;
  const isOwner = role === "OWNER";
  const payments = paymentsConfigured();
  // Back from setup-mode Checkout: save the card now rather than wait for the webhook (both converge).
  const setup = query.setup === "success" || query.setup === "cancelled" ? query.setup : null;
  const sessionId = typeof query.session_id === "string" && CHECKOUT_SESSION_ID.test(query.session_id) ? query.session_id : null;
  if (payments && setup === "success" && sessionId) {
    await syncCardSetup(sessionId, workspace.id).catch((err: unknown) => console.error("card setup sync failed:", err));
  }
  // Back from the Billing Portal: what the customer changed there, before anything reads the plan.
  if (payments && query.from === PORTAL_RETURN_MARK) await syncAfterPortal(workspace.id);
  // Owners only: members do not see payment details. Started now, awaited inside its Suspense boundary,
  // so Stripe's latency does not hold up the rest of the page (Free without a customer: no Stripe call).
  const overview = isOwner && payments ? billingOverview(workspace.id) : null;
  const outcome = query.checkout === "success" || query.checkout === "cancelled" ? query.checkout : null;
  // Back from Checkout: apply what Stripe says before reading the figures, so the page shows the new plan
  // or credits at once; if Stripe has not confirmed yet, the notice keeps asking (no reload needed).
  const checkoutReturn = payments && outcome === "success" && sessionId ? await settleCheckoutReturn(sessionId, workspace.id) : null;
  const [balance, packs, plans, state, autoTopUp, periods, budgets] = await Promise.all([
    getBalance(workspace.id).then(withUsageAlerts),
    activePacks(),
    listPlans(),
    loadPlanState(workspace.id),
    getAutoTopUp(workspace.id),
    pastPeriodView(workspace.id, query.period), // ?period=: an earlier credit period's summary
    budgetStatus(workspace.id),
  ]);
  const packViews = packs.map(packTerms);
  const planViews = plans.map((p) => ({ ...planTerms(p), contactSales: p.contactSales }));
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-bold tracking-tight text-slate-900">Billing</h1>
            {payments && paymentsSimulated() ? (
              <Badge tone="warning" title="Stripe is replaced by a local emulator: no real card is charged.">
                Payments simulated
              </Badge>
            ) : null}
          </div>
          <p className="mt-1 text-sm text-slate-600">AI credit usage for {workspace.name}.</p>
        </div>
        {isOwner && payments ? <ManageBillingButton /> : null}
      </div>
      {/* Always here, so its state survives the re-render without Checkout's parameters. */}
      <CheckoutNotice outcome={outcome} sessionId={sessionId} initial={checkoutReturn} />
      {setup ? (
        <p role="status" className="rounded-md bg-slate-50 px-4 py-3 text-sm text-slate-700 ring-1 ring-inset ring-slate-200">
          {setup === "success" ? (
            <>
              <span className="font-semibold">Card saved.</span> Auto top-up can charge it when your credits run low.
            </>
          ) : (
            <>
              <span className="font-semibold">Card setup cancelled.</span> No card was saved.
            </>
          )}
        </p>
      ) : null}
      <PlanStatus state={state} canManage={isOwner && payments} />
      <PastPeriod view={periods}>
        <BillingPanel
          initial={balance}
          plans={planViews}
          canBuy={isOwner && payments}
          payments={payments}
          awaitingPayment={checkoutReturn?.state === "confirming"}
          dismissAlert={dismissUsageAlertAction}
        />
      </PastPeriod>
      {payments ? (
        <>
          <Suspense>
            <div className="render-when-visible">
              <PlanPicker plans={planViews} state={state} canBuy={isOwner} />
            </div>
          </Suspense>
          {overview ? (
            <Suspense fallback={<InvoicesCardLoading />}>
              <InvoicesCard overview={overview} />
            </Suspense>
          ) : null}
          <Suspense>
            <div className="render-when-visible">
              <CreditPacks canBuy={isOwner} packs={packViews} />
            </div>
          </Suspense>
          <Suspense>
            <div className="render-when-visible">
              <AutoTopUpCard initial={autoTopUp} packs={packViews} canManage={isOwner} />
            </div>
          </Suspense>
        </>
      ) : null}
      <TitledCard
        title="Workspace budget"
        description="Cap what the whole workspace may spend per day, week or month (UTC), in credits or as a share of the plan's allowance. Keys and members can have budgets of their own (API keys, Members)."
      >
        <CardBody>
          <BudgetPanel
            label="the workspace"
            target={{ scope: "workspace" }}
            budget={budgets.find((b) => b.scope === "workspace") ?? null}
            canManage={isOwner}
            actions={{ set: setBudgetAction, remove: removeBudgetAction }}
            allowPercent
          />
        </CardBody>
      </TitledCard>
    </div>
  );
}
