"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/** Closes this window (opened by the billing panel for Stripe); where the browser refuses, says so. */
export function CloseWindowButton() {
  const [refused, setRefused] = useState(false);
  return (
    <div className="mt-6 flex flex-col items-center gap-2">
      <Button
        onClick={() => {
          window.close();
          // Still open a moment later: the browser does not let this page close its window.
          setTimeout(() => setRefused(true), 300);
        }}
      >
        Close this window
      </Button>
      {refused ? <p className="text-xs text-slate-500">Your browser kept this window open: close its tab to go back.</p> : null}
    </div>
  );
}
