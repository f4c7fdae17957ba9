"use client";

import { useSyncExternalStore } from "react";
import { formatUtc } from "@/lib/format";

const subscribe = () => () => {};

const dateFormat = (timeZone?: string) => new Intl.DateTimeFormat("en-US", { timeZone, month: "short", day: "numeric", year: "numeric" });
const timeFormat = (timeZone?: string) => new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", minute: "2-digit", second: "2-digit", timeZoneName: "short" });

/**
 * An event's time on two short lines (day, then time of day with the zone), in the viewer's time zone,
 * UTC on hover. The server, which cannot know the zone, renders UTC.
 */
export function EventTime({ iso }: { iso: string }) {
  const isClient = useSyncExternalStore(subscribe, () => true, () => false);
  const zone = isClient ? undefined : "UTC";
  const d = new Date(iso);
  const utc = formatUtc(iso);
  return (
    <time dateTime={iso} title={utc} className="block whitespace-nowrap">
      <span className="block text-slate-800">{dateFormat(zone).format(d)}</span>
      <span className="block text-xs text-slate-500">{timeFormat(zone).format(d)}</span>
    </time>
  );
}
