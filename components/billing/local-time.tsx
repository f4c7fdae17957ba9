"use client";

import { formatLocal, formatUtc, utcTwin } from "@/lib/format";
import { useHydrated } from "@/components/ui/use-hydrated";

/**
 * An instant shown in the viewer's own time zone, with UTC on hover and in the accessible name.
 * The server (which cannot know the viewer's zone) renders UTC; the browser swaps in local time once
 * the page has hydrated.
 * `withUtc` also prints the UTC twin beside it, once: not when the viewer's zone is UTC (or before the
 * browser knows the zone, when the time shown is already UTC).
 */
export function LocalTime({ iso, className, withUtc = false }: { iso: string; className?: string; withUtc?: boolean }) {
  const isClient = useHydrated();
  const utc = formatUtc(iso);
  const twin = withUtc && isClient ? utcTwin(iso) : null;
  return (
    <>
      <time dateTime={iso} title={utc} className={className}>
        {isClient ? formatLocal(iso) : utc}
      </time>
      {twin ? (
        <>
          {" "}
          <span className="whitespace-nowrap">({twin})</span>
        </>
      ) : null}
    </>
  );
}
