"use client";

import { useState } from "react";
import { useBillingApi } from "@/components/billing/billing-api";
import { requestJson } from "@/components/billing/request-json";

type State = { pending: string | null; error: string | null; blocked: string | null };

/**
 * POSTs to one of the Stripe routes (checkout, portal) and opens the URL it returns: in this window
 * (Settings → Billing), or in a new one (billing inside an AI product, components/billing/billing-api.tsx):
 * that window is opened at the click, before the request, so popup blockers let it through; if one
 * blocks it anyway, `blocked` holds the URL for a link the customer can click. `pending` names the
 * request in flight, so only its button shows progress.
 */
export function useStripeRedirect() {
  const [state, setState] = useState<State>({ pending: null, error: null, blocked: null });
  const api = useBillingApi();

  async function go(name: string, endpoint: string, body: object = {}) {
    setState({ pending: name, error: null, blocked: null });
    const popup = api.newWindow ? openBlank() : null;
    const outcome = await requestJson<{ url?: string }>(endpoint, { body, headers: api.headers });
    const url = outcome.ok ? outcome.data.url : undefined;
    if (!url) {
      popup?.close();
      return setState({
        pending: null,
        error: outcome.ok ? "Stripe did not return a page to open. Try again." : outcome.message,
        blocked: null,
      });
    }
    if (!api.newWindow) return window.location.assign(url);
    if (popup) popup.location.href = url;
    api.onStripeOpened?.(name);
    setState({ pending: null, error: null, blocked: popup ? null : url });
  }

  return { ...state, go };
}

/** A new window for Stripe's page, cut off from this one (no window.opener), saying what is coming. */
function openBlank(): Window | null {
  const popup = window.open("", "_blank");
  if (!popup) return null;
  popup.opener = null;
  popup.document.title = "Opening Stripe…";
  popup.document.body.textContent = "Opening Stripe…";
  popup.document.body.style.cssText = "font: 16px system-ui, sans-serif; margin: 2rem; color: #334155";
  return popup;
}
