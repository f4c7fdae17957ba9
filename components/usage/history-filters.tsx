import Link from "next/link";
import { Button } from "@/components/ui/button";
import { STATUS_LABEL } from "@/components/usage/status-badge";
import { FILTER_STATUSES } from "@/lib/usage/history";
import { USAGE_GROUPS, type HistoryForm, type UsageGroup } from "@/lib/usage/params";

const GROUP_LABEL: Record<UsageGroup, string> = { action: "Action", member: "Member", key: "API key" };

/** A date input that fits two to a row on a phone (a little less padding than the standard Field). */
function DayField({ id, name, label, value, error }: { id: string; name: string; label: string; value: string; error?: string }) {
  const errorId = `${id}-error`;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type="date"
        defaultValue={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        className={`mt-1.5 block w-full min-w-0 rounded-md border-0 bg-white px-2.5 py-2 text-slate-900 shadow-xs ring-1 ring-inset focus:ring-2 focus:ring-inset sm:px-3 sm:text-sm ${error ? "ring-red-400 focus:ring-red-500" : "ring-slate-300 focus:ring-indigo-600"}`}
      />
      {error ? (
        <p id={errorId} className="mt-1.5 text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}

const selectClass =
  "mt-1.5 block w-full rounded-md border-0 bg-white py-2 pl-3 pr-8 text-slate-900 shadow-xs ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600 sm:text-sm";

/**
 * The filters as a plain GET form: they live in the URL, work without JavaScript, and applying them
 * starts again from the newest page (no cursor is carried).
 */
export function HistoryFilters({
  form,
  actions,
  members,
  keys,
  filtered,
  invalid,
}: {
  form: HistoryForm;
  actions: { key: string; name: string }[];
  /** The members and API keys that may be named (lib/usage/attribution.ts), labelled. */
  members: { id: string; label: string }[];
  keys: { id: string; label: string }[];
  filtered: boolean;
  invalid: Partial<Record<keyof HistoryForm, string>>;
}) {
  return (
    <form method="get" action="/settings/usage" aria-label="Filter usage" className="space-y-3">
      <div className="grid grid-cols-2 gap-x-3 gap-y-4 sm:grid-cols-4 lg:grid-cols-6 lg:items-end lg:gap-x-4">
        <DayField id="usage-from" name="from" label="From (UTC day)" value={form.from} error={invalid.from} />
        <DayField id="usage-to" name="to" label="To (UTC day)" value={form.to} error={invalid.to} />
        <div className="col-span-2">
          <label htmlFor="usage-action" className="block text-sm font-medium text-slate-900">
            Action
          </label>
          <select id="usage-action" name="action" defaultValue={actions.some((a) => a.key === form.action) ? form.action : ""} className={selectClass}>
            <option value="">All actions</option>
            {actions.map((a) => (
              <option key={a.key} value={a.key}>
                {a.name} ({a.key})
              </option>
            ))}
          </select>
        </div>
        <div className="col-span-2 sm:col-span-1 lg:col-span-2">
          <label htmlFor="usage-status" className="block text-sm font-medium text-slate-900">
            Status
          </label>
          <select id="usage-status" name="status" defaultValue={(FILTER_STATUSES as readonly string[]).includes(form.status) ? form.status : ""} className={selectClass}>
            <option value="">All statuses</option>
            {FILTER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="col-span-2 sm:col-span-1 lg:col-span-2">
          <label htmlFor="usage-member" className="block text-sm font-medium text-slate-900">
            Member
          </label>
          <select id="usage-member" name="member" defaultValue={members.some((m) => m.id === form.member) ? form.member : ""} className={selectClass}>
            <option value="">All members</option>
            {members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </select>
        </div>
        <div className="col-span-2 lg:col-span-2">
          <label htmlFor="usage-key" className="block text-sm font-medium text-slate-900">
            API key
          </label>
          <select id="usage-key" name="key" defaultValue={keys.some((k) => k.id === form.key) ? form.key : ""} className={selectClass}>
            <option value="">All API keys</option>
            {keys.map((k) => (
              <option key={k.id} value={k.id}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        <div className="col-span-2 sm:col-span-1 lg:col-span-2">
          <label htmlFor="usage-group" className="block text-sm font-medium text-slate-900">
            Group by
          </label>
          <select id="usage-group" name="group" defaultValue={(USAGE_GROUPS as readonly string[]).includes(form.group) ? form.group : ""} className={selectClass}>
            <option value="">Member or API key</option>
            {USAGE_GROUPS.map((g) => (
              <option key={g} value={g}>
                {GROUP_LABEL[g]}
              </option>
            ))}
          </select>
        </div>
        <div className="col-span-2 flex items-end gap-2 sm:col-span-1 lg:col-span-4">
          <Button type="submit">Apply filters</Button>
          {filtered ? (
            <Link href="/settings/usage" className="rounded-md px-3 py-2 text-sm font-semibold text-slate-700 hover:bg-slate-100">
              Reset
            </Link>
          ) : null}
        </div>
      </div>
      <p className="text-xs text-slate-500">Days run from 00:00 to 24:00 UTC, the way billing periods count them; both days are included.</p>
    </form>
  );
}
