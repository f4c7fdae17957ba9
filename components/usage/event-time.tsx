"use client";

import { dayAndTime, formatUtc } from "@/lib/format";
import { useHydrated } from "@/components/ui/use-hydrated";

/**
 * An event's time on two short lines (day, then time of day with the zone), in the viewer's time zone,
 * UTC on hover. The server, which cannot know the zone, renders UTC.
 */
export function EventTime({ iso }: { iso: string }) {
  const isClient = useHydrated();
  const shown = dayAndTime(iso, isClient ? "local" : "utc", { seconds: true });
  const utc = formatUtc(iso);
  return (
    <time dateTime={iso} title={utc} className="block whitespace-nowrap">
      <span className="block text-slate-800">{shown.day}</span>
      <span className="block text-xs text-slate-500">{shown.time}</span>
    </time>
  );
}
