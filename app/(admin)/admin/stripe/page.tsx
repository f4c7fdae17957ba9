import Link from "next/link";
import { requireAdmin } from "@/lib/auth/session";
import { firstParam, withQuery, type SearchParams } from "@/lib/search-params";
import { adminMetadata } from "@/app/(admin)/admin/metadata";
import { STRIPE_EVENT_STATES, stripeEventPage, type StripeEventState } from "@/lib/admin/stripe-events";
import { parsePage } from "@/lib/admin/workspaces";
import { formatCredits } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { FilterCard } from "@/components/admin/filter-card";
import { Field, SelectField } from "@/components/ui/field";
import { LocalTime } from "@/components/billing/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { PagedTable } from "@/components/admin/paged-table";
import { ReplayButton } from "@/components/admin/replay-button";
import { replayStripeEventAction } from "./actions";

export const generateMetadata = adminMetadata("Stripe events");

const STATE_BADGE: Record<StripeEventState, { label: string; tone: "success" | "danger" | "warning" }> = {
  processed: { label: "Processed", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
  pending: { label: "Received", tone: "warning" },
};

export default async function AdminStripeEventsPage({ searchParams }: { searchParams: SearchParams }) {
  await requireAdmin();
  const query = await searchParams;
  const state = STRIPE_EVENT_STATES.find((s) => s === firstParam(query.state));
  const object = firstParam(query.object)?.trim().slice(0, 255) || undefined;
  const result = await stripeEventPage({ state, object, page: parsePage(firstParam(query.page)) });
  return (
    <div className="space-y-6">
      <PageHeader
        title="Stripe events"
        description={
          <>
            Every webhook event Stripe delivered, newest first. A failed event answered 503 so Stripe retries it; you can also replay it
            here once the cause is fixed.
            {result.failed > 0 ? (
              <>
                {" "}
                <Link href="/admin/stripe?state=failed" className="font-semibold text-red-700 hover:text-red-600">
                  {formatCredits(result.failed)} failed
                </Link>
                .
              </>
            ) : null}
          </>
        }
      />
      <FilterCard
        label="Filter Stripe events"
        action="/admin/stripe"
        filtered={Boolean(state || object)}
        className="grid gap-4 sm:grid-cols-[1fr_2fr_auto] sm:items-end"
      >
        <SelectField id="stripe-state" name="state" label="Outcome" defaultValue={state ?? ""}>
          <option value="">Any</option>
          {STRIPE_EVENT_STATES.map((s) => (
            <option key={s} value={s}>
              {STATE_BADGE[s].label}
            </option>
          ))}
        </SelectField>
        <Field id="stripe-object" name="object" label="Stripe object id" defaultValue={object} placeholder="cs_…, ch_…, sub_…, cus_…" />
      </FilterCard>
      <PagedTable
        title="Stripe events"
        caption="Stripe events, newest first"
        scroll={{ label: "Stripe events table", minWidth: "min-w-[60rem]" }}
        page={result}
        pager={{
          label: "Pages of Stripe events",
          noun: ["event", "events"],
          href: (page) => withQuery("/admin/stripe", { state, object, page }),
        }}
        rowClassName="align-top"
        empty={state || object ? "No Stripe event matches these filters." : "No Stripe events received yet."}
        columns={[
          {
            header: "Received",
            cellClassName: "whitespace-nowrap text-slate-600",
            cell: (e) => <LocalTime iso={e.receivedAt.toISOString()} />,
          },
          {
            header: "Event",
            cell: (e) => (
              <>
                <span className="block font-medium text-slate-900">{e.type}</span>
                <span className="block font-mono text-xs text-slate-500">{e.id}</span>
                <details className="mt-1 text-xs">
                  <summary className="cursor-pointer text-indigo-700">Payload</summary>
                  <pre className="mt-1 max-h-80 max-w-[36rem] overflow-auto rounded bg-slate-50 p-2 text-[11px] text-slate-700">
                    {JSON.stringify(e.payload, null, 2)}
                  </pre>
                </details>
              </>
            ),
          },
          {
            header: "Object",
            cell: (e) =>
              e.objectId ? (
                <Link
                  href={`/admin/ledger?reference=${encodeURIComponent(e.objectId)}`}
                  className="font-mono text-xs text-indigo-700 hover:text-indigo-600"
                  title="Ledger entries for this object"
                >
                  {e.objectId}
                </Link>
              ) : (
                <span className="text-slate-500">—</span>
              ),
          },
          {
            header: "Outcome",
            cell: (e) => (
              <>
                <Badge tone={STATE_BADGE[e.state].tone}>{STATE_BADGE[e.state].label}</Badge>
                {e.processedAt ? (
                  <span className="mt-1 block text-xs text-slate-500">
                    <LocalTime iso={e.processedAt.toISOString()} />
                  </span>
                ) : null}
                {e.error ? <span className="mt-1 block max-w-[20rem] break-words text-xs text-red-700">{e.error}</span> : null}
              </>
            ),
          },
          {
            header: <span className="sr-only">Actions</span>,
            cell: (e) => (e.state === "processed" ? null : <ReplayButton eventId={e.id} action={replayStripeEventAction} />),
          },
        ]}
      />
    </div>
  );
}
