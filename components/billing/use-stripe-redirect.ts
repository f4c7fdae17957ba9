"use client";

import { useState } from "react";
import { useWorkspaceHeaders } from "@/components/layout/workspace-scope";
import { requestJson } from "@/components/billing/request-json";

type State = { pending: string | null; error: string | null };

/**
 * POSTs to one of our Stripe routes (checkout, portal) and sends the browser to the URL it returns.
 * `pending` names the request in flight, so only its button shows progress.
 */
export function useStripeRedirect() {
  const [state, setState] = useState<State>({ pending: null, error: null });
  const workspace = useWorkspaceHeaders();

  async function go(name: string, endpoint: string, body: object = {}) {
    setState({ pending: name, error: null });
    const outcome = await requestJson<{ url?: string }>(endpoint, { body, headers: workspace });
    if (outcome.ok && outcome.data.url) window.location.assign(outcome.data.url);
    else setState({ pending: null, error: outcome.ok ? "Stripe did not return a page to open. Try again." : outcome.message });
  }

  return { ...state, go };
}
