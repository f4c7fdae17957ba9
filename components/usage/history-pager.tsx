import { ButtonLink } from "@/components/ui/button";

function Disabled({ children }: { children: string }) {
  return (
    <span
      aria-disabled="true"
      className="inline-flex items-center rounded-md px-3 py-2 text-sm font-semibold text-slate-300 ring-1 ring-inset ring-slate-200"
    >
      {children}
    </span>
  );
}

/** "← Newer" / "Older →" links; each keeps the filters and carries the cursor of the page's edge. */
export function HistoryPager({ newerHref, olderHref, shown }: { newerHref: string | null; olderHref: string | null; shown: number }) {
  return (
    <nav
      aria-label="Pages of usage"
      className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 px-5 py-3 sm:px-6"
    >
      <p className="text-sm text-slate-500">
        {shown} event{shown === 1 ? "" : "s"} on this page
      </p>
      <div className="flex gap-2">
        {newerHref ? (
          <ButtonLink variant="secondary" href={newerHref} rel="prev">
            ← Newer
          </ButtonLink>
        ) : (
          <Disabled>← Newer</Disabled>
        )}
        {olderHref ? (
          <ButtonLink variant="secondary" href={olderHref} rel="next">
            Older →
          </ButtonLink>
        ) : (
          <Disabled>Older →</Disabled>
        )}
      </div>
    </nav>
  );
}
