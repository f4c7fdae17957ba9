"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import type { AdminActionResult } from "@/components/admin/types";

/** "Replay" for a failed Stripe event, with the outcome said next to it. */
export function ReplayButton({ eventId, action }: { eventId: string; action: (eventId: string) => Promise<AdminActionResult> }) {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<AdminActionResult | null>(null);
  return (
    <div className="flex flex-col items-start gap-1">
      <Button
        variant="secondary"
        disabled={pending}
        aria-label={`Replay ${eventId}`}
        onClick={() => startTransition(async () => setResult(await action(eventId)))}
      >
        {pending ? "Replaying…" : "Replay"}
      </Button>
      {result ? (
        <p role={result.ok ? "status" : "alert"} className={`max-w-[16rem] text-xs ${result.ok ? "text-emerald-700" : "text-red-600"}`}>
          {result.message}
        </p>
      ) : null}
    </div>
  );
}
