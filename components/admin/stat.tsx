import Link from "next/link";
import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

/** One figure with its label; a group named by the label, so tests and screen readers find it. */
export function Stat({
  label,
  value,
  hint,
  href,
  tone = "neutral",
  className,
}: {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  href?: string;
  tone?: "neutral" | "warning";
  className?: string;
}) {
  return (
    <div
      role="group"
      aria-label={label}
      className={cn("rounded-xl bg-white px-5 py-4 shadow-sm ring-1", tone === "warning" ? "ring-amber-300" : "ring-slate-200", className)}
    >
      <p className="text-sm font-medium text-slate-500">{label}</p>
      <p
        className={cn("mt-1 text-2xl font-semibold tabular-nums tracking-tight", tone === "warning" ? "text-amber-700" : "text-slate-900")}
      >
        {value}
      </p>
      {hint ? (
        <p className="mt-1 text-xs text-slate-500">
          {href ? (
            <Link href={href} className="text-indigo-700 hover:text-indigo-600">
              {hint}
            </Link>
          ) : (
            hint
          )}
        </p>
      ) : null}
    </div>
  );
}
