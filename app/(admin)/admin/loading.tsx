export default function AdminLoading() {
  return (
    <div role="status" aria-label="Loading" className="space-y-6">
      <div className="h-8 w-56 animate-pulse rounded bg-slate-200" />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="h-24 animate-pulse rounded-xl bg-white ring-1 ring-slate-200" />
        ))}
      </div>
      <div className="h-80 animate-pulse rounded-xl bg-white ring-1 ring-slate-200" />
    </div>
  );
}
