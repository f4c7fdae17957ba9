"use client";

import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { BalanceWithAlerts } from "@/lib/alerts/rules";
import type { PlanState } from "@/lib/billing/plan-state";
import { BillingApiProvider, BillingRequestError, useBillingApi, type BillingApi } from "@/components/billing/billing-api";
import { BillingPanel } from "@/components/billing/billing-panel";
import { CreditPacks, type PackView } from "@/components/billing/credit-packs";
import { ManageBillingButton } from "@/components/billing/manage-billing-button";
import { PlanPicker, type PlanView } from "@/components/billing/plan-picker";
import { PlanStatus } from "@/components/billing/plan-status";
import { useBalance } from "@/components/billing/use-balance";
import { Badge } from "@/components/ui/badge";
import { postToParent, useReportHeight } from "@/components/portal/frame";
import { PortalClosed } from "@/components/portal/portal-closed";

/** The header the portal's routes read the session's secret from (lib/portal-sessions/route.ts). */
const SECRET_HEADER = "x-creditbook-portal";

const ROUTES = {
  balance: "/api/portal/balance",
  checkout: "/api/portal/checkout",
  manageBilling: "/api/portal/manage-billing",
  previewPlanChange: "/api/portal/change-plan/preview",
  changePlan: "/api/portal/change-plan",
  undoPlanChange: "/api/portal/change-plan/undo",
};

/** After Stripe's window opened: refresh fast for this long, so the purchase shows as it lands. */
const WATCH_MS = 15 * 60 * 1000;

export type PortalBillingProps = {
  embedded: boolean;
  /** The session's secret: kept in memory, sent as a header; never in a cookie or the URL. */
  secret: string;
  expiresAt: string;
  allowedOrigins: string[];
  role: "OWNER" | "MEMBER" | "VIEWER";
  workspaceName: string;
  userEmail: string;
  productName: string | null;
  returnUrl: string | null;
  initialBalance: BalanceWithAlerts;
  initialState: PlanState;
  plans: PlanView[];
  packs: PackView[];
  payments: boolean;
  simulated: boolean;
  compact: boolean;
  /** Recent usage, rendered on the server (components/usage/history-table.tsx). */
  recent: ReactNode;
};

/**
 * Billing inside the AI product (/portal/{token} and /embed/{token}): the components of Settings →
 * Billing, reading and buying through the portal session (components/billing/billing-api.tsx). The
 * figures refresh every few seconds, when the window regains focus, and fast while Stripe's window is
 * open; inside an iframe the panel reports its height and posts credits.changed, checkout.opened and
 * session.expired to the framing page.
 */
export function PortalBilling(props: PortalBillingProps) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            staleTime: 10_000,
            retry: (failures, error) => !(error instanceof BillingRequestError && error.status === 401) && failures < 1,
          },
        },
      }),
  );
  return (
    <QueryClientProvider client={client}>
      <Portal {...props} />
    </QueryClientProvider>
  );
}

function Portal(props: PortalBillingProps) {
  const { embedded, allowedOrigins } = props;
  const queries = useQueryClient();
  const [watchingUntil, setWatchingUntil] = useState(0);
  const [expired, setExpired] = useState(() => Date.parse(props.expiresAt) <= Date.now());
  const [opened, setOpened] = useState<string | null>(null);

  const api = useMemo<BillingApi>(
    () => ({
      routes: ROUTES,
      headers: { [SECRET_HEADER]: props.secret },
      newWindow: true,
      refresh: () => void queries.invalidateQueries(),
      onStripeOpened: (what) => {
        setOpened(what);
        setWatchingUntil(Date.now() + WATCH_MS);
        if (embedded) postToParent(allowedOrigins, { type: "checkout.opened", what });
      },
    }),
    [props.secret, queries, embedded, allowedOrigins],
  );

  // The session's end: the page says so at once, without waiting for a refresh to be refused.
  useEffect(() => {
    const left = Date.parse(props.expiresAt) - Date.now();
    if (left <= 0) return;
    const timer = setTimeout(() => setExpired(true), Math.min(left, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [props.expiresAt]);

  if (expired) {
    return (
      <PortalClosed
        reason="expired"
        productName={props.productName}
        returnUrl={props.returnUrl}
        embedded={embedded}
        allowedOrigins={allowedOrigins}
      />
    );
  }
  return (
    <BillingApiProvider api={api}>
      <PortalPanel
        {...props}
        watching={watchingUntil > 0}
        stopWatching={() => setWatchingUntil(0)}
        watchingUntil={watchingUntil}
        opened={opened}
        onExpired={() => setExpired(true)}
      />
    </BillingApiProvider>
  );
}

function PortalPanel(
  props: PortalBillingProps & {
    watching: boolean;
    watchingUntil: number;
    stopWatching: () => void;
    opened: string | null;
    onExpired: () => void;
  },
) {
  const { embedded, allowedOrigins, role, payments, compact, watching, watchingUntil, stopWatching, onExpired } = props;
  const api = useBillingApi();
  const ref = useRef<HTMLDivElement>(null);
  const owner = role === "OWNER";
  const { data: balance, error } = useBalance(props.initialBalance, watching);
  const { data: state } = useQuery({
    queryKey: ["workspace", "plan-state"],
    queryFn: async (): Promise<PlanState> => {
      const res = await fetch("/api/portal/plan", { cache: "no-store", headers: api.headers });
      if (!res.ok) throw new BillingRequestError(res.status);
      return res.json();
    },
    initialData: props.initialState,
    refetchInterval: watching ? 3_000 : false,
    refetchOnWindowFocus: true,
  });

  useReportHeight(ref, allowedOrigins, embedded);

  // A refresh refused with 401: the session ended (expired or revoked).
  useEffect(() => {
    if (error instanceof BillingRequestError && error.status === 401) onExpired();
  }, [error, onExpired]);

  // credits.changed to the framing page; a change while Stripe's window is open is the purchase landing.
  const remaining = balance.unlimited ? null : balance.remaining;
  const previous = useRef(remaining);
  const refreshPlan = useCallback(() => api.refresh?.(), [api]);
  useEffect(() => {
    if (previous.current === remaining) return;
    if (embedded) postToParent(allowedOrigins, { type: "credits.changed", remaining, previous: previous.current });
    previous.current = remaining;
    if (watching) {
      stopWatching();
      refreshPlan();
    }
  }, [remaining, embedded, allowedOrigins, watching, stopWatching, refreshPlan]);

  // Watching ends by itself after a while (the customer may have closed Stripe's window without paying).
  useEffect(() => {
    if (!watching) return;
    const timer = setTimeout(stopWatching, Math.max(0, watchingUntil - Date.now()));
    return () => clearTimeout(timer);
  }, [watching, watchingUntil, stopWatching]);

  const product = props.productName ?? "the app";
  return (
    <div ref={ref} className={embedded ? "space-y-4 p-1 sm:space-y-6" : "mx-auto max-w-5xl space-y-6 px-4 py-6 sm:px-6 lg:px-8"}>
      {!embedded && props.returnUrl ? (
        <a href={props.returnUrl} className="inline-flex items-center gap-1 text-sm font-semibold text-indigo-700 hover:underline">
          <span aria-hidden="true">←</span> Back to {product}
        </a>
      ) : null}
      {compact ? null : (
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div>
            <div className="flex flex-wrap items-center gap-3">
              {embedded ? (
                <h1 className="text-lg font-semibold text-slate-900">Billing</h1>
              ) : (
                <h1 className="text-2xl font-bold tracking-tight text-slate-900">Billing</h1>
              )}
              {payments && props.simulated ? (
                <Badge tone="warning" title="Stripe is replaced by a local emulator: no real card is charged.">
                  Payments simulated
                </Badge>
              ) : null}
            </div>
            <p className="mt-1 text-sm text-slate-600">
              AI credit usage for {props.workspaceName} · signed in as {props.userEmail}
            </p>
          </div>
          {owner && payments ? <ManageBillingButton /> : null}
        </div>
      )}
      {watching ? (
        <p
          role="status"
          aria-live="polite"
          className="flex items-center gap-2 rounded-md bg-slate-50 px-4 py-3 text-sm text-slate-700 ring-1 ring-inset ring-slate-200"
        >
          <span aria-hidden="true" className="h-3 w-3 shrink-0 animate-spin rounded-full border-2 border-indigo-600 border-t-transparent" />
          <span>
            <span className="font-semibold">
              {props.opened === "portal" ? "Stripe’s billing portal is open in a new window." : "Checkout is open in a new window."}
            </span>{" "}
            This panel updates by itself when you’re done.
          </span>
        </p>
      ) : null}
      <PlanStatus state={state} canManage={owner && payments} />
      <BillingPanel
        initial={props.initialBalance}
        plans={props.plans}
        canBuy={owner && payments}
        payments={payments}
        awaitingPayment={watching}
        dismissAlert={noDismiss}
        compact={compact}
      />
      {props.recent}
      {payments && role !== "VIEWER" ? (
        <>
          <PlanPicker plans={props.plans} state={state} canBuy={owner} />
          <CreditPacks canBuy={owner} packs={props.packs} />
        </>
      ) : null}
    </div>
  );
}

/** Usage alerts are the workspace members' to dismiss (Settings → Billing), not shown here. */
async function noDismiss(): Promise<{ ok: false; message: string }> {
  return { ok: false, message: "Dismiss usage alerts in Creditbook’s Settings → Billing." };
}
