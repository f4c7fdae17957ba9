"use client";

import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

/** The history could not be read (the database is down, a query failed): say so and offer a retry. */
export default function UsageError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold tracking-tight text-slate-900">Usage history</h1>
      <Card role="alert" className="px-6 py-10 text-center">
        <p className="text-sm font-medium text-slate-900">The usage history could not be loaded.</p>
        <p className="mt-1 text-sm text-slate-500">Nothing is lost: try again in a moment.</p>
        <Button variant="secondary" className="mt-4" onClick={reset}>
          Try again
        </Button>
      </Card>
    </div>
  );
}
