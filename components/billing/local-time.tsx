"use client";

import { useSyncExternalStore } from "react";
import { formatLocal, formatUtc } from "@/lib/format";

const subscribe = () => () => {};

/**
 * An instant shown in the viewer's own time zone, with UTC on hover and in the accessible name.
 * The server (which cannot know the viewer's zone) renders UTC; the browser swaps in local time.
 */
export function LocalTime({ iso, className }: { iso: string; className?: string }) {
  const isClient = useSyncExternalStore(subscribe, () => true, () => false);
  const utc = formatUtc(iso);
  return (
    <time dateTime={iso} title={utc} className={className}>
      {isClient ? formatLocal(iso) : utc}
    </time>
  );
}
