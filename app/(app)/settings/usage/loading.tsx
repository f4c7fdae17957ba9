import { Card } from "@/components/ui/card";

/** Shown while the history page loads (its queries run on the server). */
export default function Loading() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading usage history">
      <div>
        <h1 className="text-2xl font-bold tracking-tight text-slate-900">Usage history</h1>
        <div className="mt-2 h-4 w-72 max-w-full animate-pulse rounded bg-slate-200" />
      </div>
      <Card className="h-28 animate-pulse" />
      <Card className="divide-y divide-slate-100">
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="flex items-center gap-4 px-6 py-4">
            <div className="h-4 w-32 animate-pulse rounded bg-slate-200" />
            <div className="h-4 flex-1 animate-pulse rounded bg-slate-100" />
            <div className="h-4 w-16 animate-pulse rounded bg-slate-200" />
          </div>
        ))}
      </Card>
    </div>
  );
}
