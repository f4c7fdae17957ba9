import Link from "next/link";
import { Button } from "@/components/ui/button";
import { NarrowField } from "@/components/ui/field";
import { STATUS_LABEL } from "@/components/usage/status-badge";
import { FILTER_STATUSES } from "@/lib/usage/labels";
import { USAGE_GROUPS, type HistoryForm, type UsageGroup } from "@/lib/usage/search";

const GROUP_LABEL: Record<UsageGroup, string> = { action: "Action", member: "Member", key: "API key" };

const selectClass =
  "mt-1.5 block w-full rounded-md border-0 bg-white py-2 pl-3 pr-8 text-slate-900 shadow-xs ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600 sm:text-sm";

const narrow = "col-span-2 sm:col-span-1 lg:col-span-2";

/** A labelled select of one filter: "all" (blank) first, then the options; a value not among them shows "all". */
function Choice({
  id,
  name,
  label,
  all,
  value,
  options,
  className,
}: {
  id: string;
  name: string;
  label: string;
  all: string;
  value: string;
  /** Each option's value is its `value`, or else its `id`. */
  options: { value?: string; id?: string; label: string }[];
  className: string;
}) {
  const values = options.map((o) => o.value ?? o.id ?? "");
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      <select id={id} name={name} defaultValue={values.includes(value) ? value : ""} className={selectClass}>
        <option value="">{all}</option>
        {options.map((o, i) => (
          <option key={values[i]} value={values[i]}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

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
  const choices = [
    {
      id: "usage-action",
      name: "action",
      label: "Action",
      all: "All actions",
      value: form.action,
      className: "col-span-2",
      options: actions.map((a) => ({ value: a.key, label: `${a.name} (${a.key})` })),
    },
    {
      id: "usage-status",
      name: "status",
      label: "Status",
      all: "All statuses",
      value: form.status,
      className: narrow,
      options: FILTER_STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s] })),
    },
    { id: "usage-member", name: "member", label: "Member", all: "All members", value: form.member, className: narrow, options: members },
    {
      id: "usage-key",
      name: "key",
      label: "API key",
      all: "All API keys",
      value: form.key,
      className: "col-span-2 lg:col-span-2",
      options: keys,
    },
    {
      id: "usage-group",
      name: "group",
      label: "Group by",
      all: "Member or API key",
      value: form.group,
      className: narrow,
      options: USAGE_GROUPS.map((g) => ({ value: g, label: GROUP_LABEL[g] })),
    },
  ];
  return (
    <form method="get" action="/settings/usage" aria-label="Filter usage" className="space-y-3">
      <div className="grid grid-cols-2 gap-x-3 gap-y-4 sm:grid-cols-4 lg:grid-cols-6 lg:items-end lg:gap-x-4">
        <NarrowField id="usage-from" name="from" type="date" label="From (UTC day)" defaultValue={form.from} error={invalid.from} />
        <NarrowField id="usage-to" name="to" type="date" label="To (UTC day)" defaultValue={form.to} error={invalid.to} />
        {choices.map((choice) => (
          <Choice key={choice.id} {...choice} />
        ))}
        <div className="col-span-2 flex items-end gap-2 sm:col-span-1 lg:col-span-4">
          <Button type="submit">Apply filters</Button>
          {filtered ? (
            <Link href="/settings/usage" className="rounded-md px-3 py-2 text-sm font-semibold text-slate-700 hover:bg-slate-100">
              Reset
            </Link>
          ) : null}
        </div>
      </div>
      <p className="text-xs text-slate-500">
        Days run from 00:00 to 24:00 UTC, the way billing periods count them; both days are included.
      </p>
    </form>
  );
}
