"use client";

import { useState } from "react";
import { InlineMessage } from "@/components/ui/field";
import { ActionButton } from "@/components/ui/form";
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
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-col items-start gap-1 sm:items-end">
      <ActionButton
        variant="secondary"
        // The visible words first, then whose lead (the name must contain what is shown: axe label-content-name-mismatch).
        aria-label={`Mark handled: the lead from ${who}`}
        pendingLabel="Marking…"
        action={() => action(leadId)}
        onResult={(result) => setError(result.ok ? null : result.message)}
      >
        Mark handled
      </ActionButton>
      <InlineMessage className="max-w-[16rem] text-xs">{error}</InlineMessage>
    </div>
  );
}
