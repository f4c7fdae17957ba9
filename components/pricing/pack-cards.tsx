import { centsPerThousandCredits } from "@/lib/pricing/estimate";
import { formatCents, formatCredits } from "@/lib/format";

export type PackView = { id: string; name: string; credits: number; priceCents: number; validityDays: number | null };

/** One-time credit packs on sale (bought from Settings → Billing once signed in). */
export function PackCards({ packs }: { packs: PackView[] }) {
  if (packs.length === 0) {
    return <p className="rounded-xl bg-white p-6 text-sm text-slate-500 ring-1 ring-slate-200">No credit packs are on sale right now.</p>;
  }
  return (
    <ul className="grid gap-4 sm:grid-cols-3">
      {packs.map((pack) => {
        const perThousand = centsPerThousandCredits(pack.priceCents, pack.credits);
        return (
          <li key={pack.id} aria-labelledby={`pack-${pack.id}`} className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <h3 id={`pack-${pack.id}`} className="text-sm font-medium text-slate-600">
              {pack.name}
            </h3>
            <p className="mt-1 text-2xl font-semibold tracking-tight text-slate-900 tabular-nums">{formatCredits(pack.credits)} credits</p>
            <p className="mt-1 text-sm text-slate-600">
              <span className="font-semibold text-slate-900">{formatCents(pack.priceCents)}</span>
              {perThousand !== null ? <> · {formatCents(perThousand)} per 1,000 credits</> : null}
            </p>
            <p className="mt-3 text-xs text-slate-500">
              {pack.validityDays ? `Valid for ${formatCredits(pack.validityDays)} days after purchase` : "Credits never expire"}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
