"use client";

import { useState } from "react";
import { InlineMessage } from "@/components/ui/field";
import { ActionButton } from "@/components/ui/form";
import type { AdminActionResult } from "@/components/admin/types";

/** "Replay" for a failed Stripe event, with the outcome said next to it. */
export function ReplayButton({ eventId, action }: { eventId: string; action: (eventId: string) => Promise<AdminActionResult> }) {
  const [result, setResult] = useState<AdminActionResult | null>(null);
  return (
    <div className="flex flex-col items-start gap-1">
      <ActionButton
        variant="secondary"
        aria-label={`Replay ${eventId}`}
        pendingLabel="Replaying…"
        action={() => action(eventId)}
        onResult={setResult}
      >
        Replay
      </ActionButton>
      <InlineMessage tone={result?.ok ? "success" : "error"} className="max-w-[16rem] text-xs">
        {result?.message}
      </InlineMessage>
    </div>
  );
}
