import { Pager } from "@/components/ui/pager";

/** "← Newer" / "Older →" links; each keeps the filters and carries the cursor of the page's edge. */
export function HistoryPager({ newerHref, olderHref, shown }: { newerHref: string | null; olderHref: string | null; shown: number }) {
  return (
    <Pager
      label="Pages of usage"
      summary={`${shown} event${shown === 1 ? "" : "s"} on this page`}
      prev={{ label: "← Newer", href: newerHref }}
      next={{ label: "Older →", href: olderHref }}
    />
  );
}
