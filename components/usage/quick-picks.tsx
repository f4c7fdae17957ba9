import Link from "next/link";
import type { QuickPick } from "@/lib/usage/periods";
import { historySearch, type HistoryForm } from "@/lib/usage/search";
import { cn } from "@/lib/cn";

const pill = "rounded-full px-3 py-1.5 text-sm font-medium ring-1 ring-inset";
const idle = "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50";
const active = "bg-indigo-50 text-indigo-700 ring-indigo-300";

/**
 * Ranges one click away: this credit period, the last one and earlier periods that had usage, each a
 * link that sets From and To and keeps the other filters; "Custom range" goes to the From field.
 */
export function QuickPicks({ picks, form }: { picks: QuickPick[]; form: HistoryForm }) {
  const chosen = picks.find((p) => p.from === form.from && p.to === form.to);
  const custom = !chosen && Boolean(form.from || form.to);
  return (
    <nav aria-label="Quick ranges">
      <ul className="flex flex-wrap gap-2">
        {picks.map((p) => (
          <li key={p.label}>
            <Link
              href={`/settings/usage${historySearch({ ...form, from: p.from, to: p.to })}`}
              aria-current={p === chosen ? "true" : undefined}
              className={cn(pill, p === chosen ? active : idle)}
              title={`${p.from} to ${p.to} (UTC days)`}
            >
              {p.label}
            </Link>
          </li>
        ))}
        <li>
          <a href="#usage-from" aria-current={custom ? "true" : undefined} className={cn(pill, custom ? active : idle)}>
            Custom range
          </a>
        </li>
      </ul>
    </nav>
  );
}
