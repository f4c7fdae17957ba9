"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import type { AdminActionResult } from "@/components/admin/types";

/** "Mark handled" on a sales lead; a refusal (someone else was first) is said next to it. */
export function MarkHandledButton({
  leadId,
  who,
  action,
}: {
  leadId: string;
  who: string;
  action: (leadId: string) => Promise<AdminActionResult>;
}) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-col items-start gap-1 sm:items-end">
      <Button
        variant="secondary"
        disabled={pending}
        // The visible words first, then whose lead (the name must contain what is shown: axe label-content-name-mismatch).
        aria-label={`Mark handled: the lead from ${who}`}
        onClick={() =>
          startTransition(async () => {
            const result = await action(leadId);
            setError(result.ok ? null : result.message);
          })
        }
      >
        {pending ? "Marking…" : "Mark handled"}
      </Button>
      {error ? (
        <p role="alert" className="max-w-[16rem] text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
