import { db } from "@/lib/db";
import { appUrl } from "@/lib/env";
import { getBalance } from "@/lib/credits";
import type { BalanceWithAlerts } from "@/lib/alerts/rules";
import { loadPlanState, type PlanState } from "@/lib/billing/plan-state";
import { createPackCheckout, type CheckoutRequest, type ReturnUrls } from "@/lib/billing/stripe/checkout";
import {
  changeSubscriptionPlan,
  createPlanCheckout,
  previewPlanChange,
  syncAfterPortal,
  undoScheduledChange,
  type PlanChangePreview,
} from "@/lib/billing/stripe/subscriptions";
import type { PlanInterval } from "@/lib/billing/stripe/prices";
import { createPortalSession as createStripePortal, PORTAL_RETURN_MARK } from "@/lib/billing/stripe/portal";
import { CHECKOUT_SESSION_ID, settleCheckoutReturn, type CheckoutReturn } from "@/lib/billing/stripe/checkout-return";
import { listPlans } from "@/lib/pricing/plans";
import { activePacks } from "@/lib/pricing/catalog";
import { paymentsConfigured, paymentsSimulated } from "@/lib/billing/stripe/client";
import { usageHistoryPage } from "@/lib/usage/history";
import { assertMayBuy, auditPortal, productNameOf, type PortalView } from "@/lib/portal-sessions/sessions";

/**
 * What the billing inside the AI product reads and does, for one open portal session: the same ledger
 * and Stripe calls as Settings → Billing, scoped to the session's workspace and role. Stripe's pages
 * open in a window of their own and come back to /portal/return, which says "you can close this
 * window"; the panel meanwhile refreshes by itself.
 */

/** The live figures. No usage alerts: those are the workspace members' (dismissed in the portal), not the product's users'. */
export async function portalBalance(view: PortalView): Promise<BalanceWithAlerts> {
  return { ...(await getBalance(view.workspaceId)), alerts: [], dismissedThreshold: null };
}

/** Where the plan stands (lib/billing/plan-state.ts): refreshed after a purchase or a plan change. */
export function portalPlanState(view: PortalView): Promise<PlanState> {
  return loadPlanState(view.workspaceId);
}

/** The return page of Stripe's windows, for this session. */
function returnUrls(view: PortalView): ReturnUrls {
  const page = (query: string) => appUrl(`/portal/return?ps=${encodeURIComponent(view.sessionId)}&${query}`);
  return { success: page("checkout=success&session_id={CHECKOUT_SESSION_ID}"), cancel: page("checkout=cancelled") };
}

/** Stripe Checkout for a credit pack or a plan (owners only). */
export async function portalCheckout(
  view: PortalView,
  request: CheckoutRequest | { plan: string; interval: PlanInterval },
): Promise<{ url: string }> {
  assertMayBuy(view);
  const urls = returnUrls(view);
  const session =
    "pack_id" in request
      ? await createPackCheckout({ workspaceId: view.workspaceId, email: view.userEmail, request, returnUrls: urls })
      : await createPlanCheckout({
          workspaceId: view.workspaceId,
          email: view.userEmail,
          planId: request.plan,
          interval: request.interval,
          returnUrls: urls,
        });
  await auditPortal("portal_session.checkout", view.sessionId, {
    workspace_id: view.workspaceId,
    checkout_session: session.id,
    ...("pack_id" in request ? { pack_id: request.pack_id } : { plan: request.plan, interval: request.interval }),
  });
  return { url: session.url };
}

/** The Stripe Billing Portal (cards, invoices, cancelling) for the workspace's customer (owners only). */
export async function portalManageBilling(view: PortalView): Promise<{ url: string }> {
  assertMayBuy(view);
  const session = await createStripePortal({
    workspaceId: view.workspaceId,
    email: view.userEmail,
    returnUrl: appUrl(`/portal/return?ps=${encodeURIComponent(view.sessionId)}&from=${PORTAL_RETURN_MARK}`),
  });
  await auditPortal("portal_session.billing_portal", view.sessionId, { workspace_id: view.workspaceId });
  return session;
}

export async function portalPreviewPlanChange(
  view: PortalView,
  input: { plan: string; interval: PlanInterval },
): Promise<PlanChangePreview> {
  assertMayBuy(view);
  return previewPlanChange({ workspaceId: view.workspaceId, planId: input.plan, interval: input.interval });
}

export async function portalChangePlan(view: PortalView, input: { plan: string; interval: PlanInterval; proration_date?: number }) {
  assertMayBuy(view);
  const changed = await changeSubscriptionPlan({
    workspaceId: view.workspaceId,
    planId: input.plan,
    interval: input.interval,
    prorationDate: input.proration_date,
  });
  await auditPortal("portal_session.change_plan", view.sessionId, {
    workspace_id: view.workspaceId,
    plan: input.plan,
    interval: input.interval,
  });
  return changed;
}

export async function portalUndoPlanChange(view: PortalView): Promise<{ planId: string }> {
  assertMayBuy(view);
  const kept = await undoScheduledChange(view.workspaceId);
  await auditPortal("portal_session.keep_plan", view.sessionId, { workspace_id: view.workspaceId, plan: kept.planId });
  return kept;
}

/** The workspace of the portal session a return URL names (null for an unknown or absurd id). */
async function workspaceOfPortalSession(portalSessionId: string): Promise<string | null> {
  if (portalSessionId.length > 100) return null;
  const session = await db.portalSession.findUnique({ where: { id: portalSessionId }, select: { workspaceId: true } });
  return session?.workspaceId ?? null;
}

/**
 * Back from Checkout in Stripe's window (GET /portal/return): applies what Stripe says about the
 * session now, as Settings → Billing does, so the panel shows the credits without waiting for the
 * webhook. Needs no secret: it only ever applies Stripe's state to the checkout's own workspace.
 */
export async function settlePortalReturn(portalSessionId: string, checkoutSessionId: string): Promise<CheckoutReturn> {
  if (!CHECKOUT_SESSION_ID.test(checkoutSessionId)) return { state: "unknown" };
  const workspaceId = await workspaceOfPortalSession(portalSessionId);
  return workspaceId ? settleCheckoutReturn(checkoutSessionId, workspaceId) : { state: "unknown" };
}

/** Back from the Billing Portal opened by this session: converge its workspace to what was changed there. */
export async function syncBillingPortalReturn(portalSessionId: string): Promise<void> {
  const workspaceId = await workspaceOfPortalSession(portalSessionId);
  if (workspaceId) await syncAfterPortal(workspaceId);
}

/** The product's name and return address for the return page's words. */
export async function portalReturnContext(portalSessionId: string): Promise<{ productName: string | null; returnUrl: string | null }> {
  if (portalSessionId.length > 100) return { productName: null, returnUrl: null };
  const row = await db.portalSession.findUnique({ where: { id: portalSessionId }, select: { productName: true, returnUrl: true } });
  return { productName: row ? productNameOf(row) : null, returnUrl: row?.returnUrl ?? null };
}

/** Recent usage on the billing page: the newest events (Settings → Usage has them all). */
export const RECENT_USAGE_ROWS = 5;

/** Everything the billing page of an open session shows at first; the panel refreshes the live part. */
export async function portalPageData(view: PortalView) {
  const [balance, plans, packs, state, recent] = await Promise.all([
    portalBalance(view),
    listPlans(),
    activePacks(),
    loadPlanState(view.workspaceId),
    usageHistoryPage(view.workspaceId, { filters: {}, limit: RECENT_USAGE_ROWS }),
  ]);
  return { balance, plans, packs, state, recent: recent.rows, payments: paymentsConfigured(), simulated: paymentsSimulated() };
}
