"use client";

import { createContext, useContext, type ReactNode } from "react";
import { useWorkspaceHeaders } from "@/components/layout/workspace-scope";

/** The routes the billing components call. */
export type BillingRoutes = {
  balance: string;
  checkout: string;
  manageBilling: string;
  previewPlanChange: string;
  changePlan: string;
  undoPlanChange: string;
};

/**
 * Where the billing components (Settings → Billing's panel, plans and packs) read and act. The same
 * components run in two places:
 * - Settings → Billing (the default): the signed-in member's routes, the rendered workspace's header,
 *   Stripe's pages in this window, and a server re-render after a change;
 * - the billing inside an AI product (/portal, /embed — components/portal): the portal session's
 *   routes and secret header, Stripe's pages in a window of their own (`newWindow`), links that leave
 *   the panel in a new tab, and a refetch instead of a re-render (`refresh`: the page's link works once).
 */
export type BillingApi = {
  routes: BillingRoutes;
  headers: Record<string, string>;
  /** Open Stripe's pages (and links that leave the panel) in a new window instead of this one. */
  newWindow: boolean;
  /** After a plan change: show the new state (default: the page re-renders on the server). */
  refresh?: () => void;
  /** Told when a Stripe page was opened in a new window (the portal then watches for the payment). */
  onStripeOpened?: (what: string) => void;
};

const SETTINGS_ROUTES: BillingRoutes = {
  balance: "/api/workspace/balance",
  checkout: "/api/stripe/create-checkout",
  manageBilling: "/api/stripe/portal",
  previewPlanChange: "/api/stripe/change-plan/preview",
  changePlan: "/api/stripe/change-plan",
  undoPlanChange: "/api/stripe/change-plan/undo",
};

const BillingApiContext = createContext<BillingApi | null>(null);

export function BillingApiProvider({ api, children }: { api: BillingApi; children: ReactNode }) {
  return <BillingApiContext.Provider value={api}>{children}</BillingApiContext.Provider>;
}

export function useBillingApi(): BillingApi {
  const provided = useContext(BillingApiContext);
  const headers = useWorkspaceHeaders();
  return provided ?? { routes: SETTINGS_ROUTES, headers, newWindow: false };
}

/** A failed request to one of the billing routes, with its status (401: a portal session that ended). */
export class BillingRequestError extends Error {
  constructor(readonly status: number) {
    super(`billing request failed (${status})`);
  }
}
