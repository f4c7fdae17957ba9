import Link from "next/link";
import { RANGES, type Range } from "@/lib/admin/ranges";
import { cn } from "@/lib/cn";

/** The overview's range, kept in the URL (?range=day|week|month) so a view can be shared. */
export function RangeTabs({ current }: { current: Range }) {
  return (
    <nav aria-label="Range" className="inline-flex rounded-lg bg-slate-100 p-1">
      {(Object.keys(RANGES) as Range[]).map((range) => (
        <Link
          key={range}
          href={`/admin?range=${range}`}
          aria-current={range === current ? "page" : undefined}
          title={RANGES[range].description}
          className={cn(
            "rounded-md px-3 py-1.5 text-sm font-medium",
            range === current ? "bg-white text-slate-900 shadow-sm ring-1 ring-slate-200" : "text-slate-600 hover:text-slate-900",
          )}
        >
          {RANGES[range].label}
        </Link>
      ))}
    </nav>
  );
}
