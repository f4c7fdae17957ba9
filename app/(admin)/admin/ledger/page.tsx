import Link from "next/link";
import { requireAdmin } from "@/lib/auth/session";
import { withQuery, type SearchParams } from "@/lib/search-params";
import { adminMetadata } from "@/app/(admin)/admin/metadata";
import { LEDGER_KINDS, ledgerPage, ledgerSubject, parseLedgerFilter, type LedgerFilter } from "@/lib/admin/ledger";
import { formatCredits } from "@/lib/format";
import { ButtonLink } from "@/components/ui/button";
import { CardBody, TitledCard } from "@/components/ui/card";
import { FilterCard } from "@/components/admin/filter-card";
import { Field, SelectField } from "@/components/ui/field";
import { LocalTime } from "@/components/billing/local-time";
import { LedgerTable } from "@/components/admin/ledger-table";
import { PageHeader } from "@/components/ui/page-header";
import { ActionKey } from "@/components/ui/action-key";

export const generateMetadata = adminMetadata("Ledger");

const dateInput = (d: Date | undefined) => d?.toISOString().slice(0, 10);

/** The ledger with `filter` (dates as days), from its newest entries or from before `before`. */
function query({ before: _before, ...filter }: LedgerFilter, before?: string): string {
  const params = Object.entries(filter).map(([k, v]) => [k, v instanceof Date ? dateInput(v) : v]);
  return withQuery("/admin/ledger", { ...Object.fromEntries(params), before });
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-sm text-slate-900">{children}</dd>
    </div>
  );
}

/** The event or credit bucket the ledger is narrowed to: its workspace, then `children` (more facts). */
function SubjectCard({
  title,
  workspace,
  children,
}: {
  title: string;
  workspace: { id: string; name: string };
  children: React.ReactNode;
}) {
  return (
    <TitledCard title={title} description="Its ledger entries are listed below.">
      <CardBody>
        <dl className="grid gap-4 sm:grid-cols-3 lg:grid-cols-6">
          <Fact label="Workspace">
            <Link href={`/admin/workspaces/${workspace.id}`} className="text-indigo-700 hover:text-indigo-600">
              {workspace.name}
            </Link>
          </Fact>
          {children}
        </dl>
      </CardBody>
    </TitledCard>
  );
}

export default async function AdminLedgerPage({ searchParams }: { searchParams: SearchParams }) {
  await requireAdmin();
  const filter = parseLedgerFilter(await searchParams);
  const [{ rows, next }, subject] = await Promise.all([ledgerPage(filter), ledgerSubject(filter)]);
  const filtered = Object.keys(filter).some((k) => k !== "before");
  return (
    <div className="space-y-6">
      <PageHeader
        title="Ledger"
        description="Every balance change in every workspace, newest first. Entries are append-only: corrections are new entries."
      />

      <FilterCard
        label="Filter ledger entries"
        action="/admin/ledger"
        filtered={filtered}
        className="grid gap-4 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_1fr_auto] lg:items-end"
      >
        {filter.event ? <input type="hidden" name="event" value={filter.event} /> : null}
        {filter.grant ? <input type="hidden" name="grant" value={filter.grant} /> : null}
        {filter.reference ? <input type="hidden" name="reference" value={filter.reference} /> : null}
        <Field id="ledger-workspace" name="workspace" label="Workspace id" defaultValue={filter.workspace} placeholder="All workspaces" />
        <SelectField id="ledger-kind" name="kind" label="Kind" defaultValue={filter.kind ?? ""}>
          <option value="">Any kind</option>
          {LEDGER_KINDS.map((k) => (
            <option key={k} value={k}>
              {k.charAt(0) + k.slice(1).toLowerCase()}
            </option>
          ))}
        </SelectField>
        <Field id="ledger-from" name="from" type="date" label="From (UTC)" defaultValue={dateInput(filter.from)} />
        <Field id="ledger-to" name="to" type="date" label="To (UTC)" defaultValue={dateInput(filter.to)} />
      </FilterCard>

      {subject.event ? (
        <SubjectCard title={`Usage event ${subject.event.id}`} workspace={subject.event.workspace}>
          <Fact label="Action">
            <span className="font-mono text-xs">
              <ActionKey value={subject.event.actionKey} /> · v{subject.event.price.version}
            </span>
          </Fact>
          <Fact label="Status">{subject.event.status.toLowerCase()}</Fact>
          <Fact label="Credits">{formatCredits(subject.event.credits)}</Fact>
          <Fact label="Idempotency key">{subject.event.idempotencyKey ?? "—"}</Fact>
          <Fact label="At">
            <LocalTime iso={subject.event.createdAt.toISOString()} />
          </Fact>
        </SubjectCard>
      ) : null}
      {subject.grant ? (
        <SubjectCard title={`Credit bucket ${subject.grant.id}`} workspace={subject.grant.workspace}>
          <Fact label="Type">{subject.grant.type.toLowerCase()}</Fact>
          <Fact label="Remaining">
            {formatCredits(subject.grant.remaining)} / {formatCredits(subject.grant.amount)}
          </Fact>
          <Fact label="Source">
            <span className="break-all font-mono text-xs">{subject.grant.source}</span>
          </Fact>
          <Fact label="Expires">{subject.grant.expiresAt ? <LocalTime iso={subject.grant.expiresAt.toISOString()} /> : "never"}</Fact>
          <Fact label="Created">
            <LocalTime iso={subject.grant.createdAt.toISOString()} />
          </Fact>
        </SubjectCard>
      ) : null}

      <TitledCard
        id="ledger-heading"
        title="Entries"
        description={
          filter.reference
            ? `Entries that refer to ${filter.reference}.`
            : filter.before
              ? "Older entries."
              : "The newest entries that match."
        }
      >
        {rows.length === 0 ? (
          <CardBody>
            <p className="text-sm text-slate-500">No ledger entries match these filters.</p>
          </CardBody>
        ) : (
          <>
            <LedgerTable rows={rows} showWorkspace />
            <nav
              aria-label="Ledger pages"
              className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 px-5 py-3 sm:px-6"
            >
              <p className="text-sm text-slate-500">{formatCredits(rows.length)} entries shown</p>
              <div className="flex gap-2">
                {filter.before ? (
                  <ButtonLink variant="secondary" href={query(filter)}>
                    Newest
                  </ButtonLink>
                ) : null}
                {next ? (
                  <ButtonLink variant="secondary" href={query(filter, next)} rel="next">
                    Older →
                  </ButtonLink>
                ) : null}
              </div>
            </nav>
          </>
        )}
      </TitledCard>
    </div>
  );
}
