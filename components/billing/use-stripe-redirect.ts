"use client";

import { useState } from "react";
import { useWorkspaceHeaders } from "@/components/layout/workspace-scope";

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
    try {
      const res = await fetch(endpoint, { method: "POST", headers: { "content-type": "application/json", ...workspace }, body: JSON.stringify(body) });
      const json = (await res.json().catch(() => ({}))) as { url?: string; error?: { message?: string; actionable_next_step?: string } };
      if (!res.ok || !json.url) {
        const message = json.error?.message ?? `The request failed (${res.status}).`;
        setState({ pending: null, error: [message, json.error?.actionable_next_step].filter(Boolean).join(" ") });
        return;
      }
      window.location.assign(json.url);
    } catch {
      setState({ pending: null, error: "Could not reach the server. Check your connection and try again." });
    }
  }

  return { ...state, go };
}
