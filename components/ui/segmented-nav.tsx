import Link from "next/link";
import { cn } from "@/lib/cn";

export type Segment = { href: string; label: string; current: boolean; title?: string };

/** A few views of one page side by side (a range, a filter), the current one raised; each is a link, so a view can be shared. */
export function SegmentedNav({ label, segments }: { label: string; segments: Segment[] }) {
  return (
    <nav aria-label={label} className="inline-flex rounded-lg bg-slate-100 p-1">
      {segments.map((s) => (
        <Link
          key={s.href}
          href={s.href}
          prefetch={false}
          aria-current={s.current ? "page" : undefined}
          title={s.title}
          className={cn(
            "rounded-md px-3 py-1.5 text-sm font-medium",
            s.current ? "bg-white text-slate-900 shadow-sm ring-1 ring-slate-200" : "text-slate-600 hover:text-slate-900",
          )}
        >
          {s.label}
        </Link>
      ))}
    </nav>
  );
}
