"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/field";
import { useBillingApi } from "@/components/billing/billing-api";
import { requestJson } from "@/components/billing/request-json";

/** Undoes a scheduled downgrade or cancellation; the page then shows the plan staying as it is. */
export function KeepPlanButton({ planName }: { planName: string }) {
  const router = useRouter();
  const queries = useQueryClient();
  const api = useBillingApi();
  const [state, setState] = useState<{ pending: boolean; error: string | null }>({ pending: false, error: null });

  async function keep() {
    setState({ pending: true, error: null });
    const outcome = await requestJson(api.routes.undoPlanChange, { headers: api.headers });
    if (!outcome.ok) return setState({ pending: false, error: outcome.message });
    await queries.invalidateQueries();
    if (api.refresh) api.refresh();
    else router.refresh();
    setState({ pending: false, error: null });
  }

  return (
    <div className="flex flex-col items-end gap-2">
      <Button variant="secondary" onClick={keep} disabled={state.pending}>
        {state.pending ? "Keeping…" : `Keep ${planName}`}
      </Button>
      {state.error ? <FormAlert>{state.error}</FormAlert> : null}
    </div>
  );
}
