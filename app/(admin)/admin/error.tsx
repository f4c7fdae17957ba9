"use client";

import { Button } from "@/components/ui/button";

export default function AdminError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="rounded-xl bg-white px-6 py-12 text-center shadow-sm ring-1 ring-slate-200">
      <h1 className="text-lg font-semibold text-slate-900">This page could not be loaded</h1>
      <p className="mx-auto mt-2 max-w-md text-sm text-slate-600">
        Something went wrong on our side and it has been logged. Try again in a moment.
      </p>
      <Button className="mt-5" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
