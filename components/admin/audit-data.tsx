import { LocalTime } from "@/components/billing/local-time";
import { formatCredits } from "@/lib/format";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const FIELD_LABEL: Record<string, string> = {
  credits: "credits",
  reserveCredits: "reserve",
  policy: "out of credits",
  provider: "provider",
  sync: "sync",
};

function show(v: Json | undefined): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "number") return formatCredits(v);
  if (typeof v === "boolean") return v ? "yes" : "no";
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** What an audit entry changed: before → after for price changes, the amount for adjustments, else the raw data. */
export function AuditData({ action, data }: { action: string; data: unknown }) {
  if (action === "price.update" && isObject(data) && isObject(data.before) && isObject(data.after)) {
    const before = data.before;
    const after = data.after;
    const changed = Object.keys(FIELD_LABEL).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    return (
      <div className="space-y-0.5 text-xs text-slate-700">
        <p>
          v{show(before.version)} → <span className="font-semibold">v{show(after.version)}</span>
          {typeof data.effectiveFrom === "string" ? (
            <>
              {" "}
              · {data.immediate === true ? "immediately" : "from"} {data.immediate === true ? null : <LocalTime iso={data.effectiveFrom} />}
            </>
          ) : null}
        </p>
        {changed.length === 0 ? <p className="text-slate-500">same terms</p> : null}
        {changed.map((k) => (
          <p key={k}>
            {FIELD_LABEL[k]}: <span className="text-slate-500 line-through decoration-slate-400">{show(before[k])}</span> →{" "}
            <span className="font-semibold">{show(after[k])}</span>
          </p>
        ))}
        {Array.isArray(data.replacesScheduled) ? (
          <p className="text-amber-800">replaces scheduled {data.replacesScheduled.map((v) => `v${show(v)}`).join(", ")}</p>
        ) : null}
      </div>
    );
  }
  if (action === "credits.adjust" && isObject(data) && typeof data.credits === "number") {
    const credits = data.credits;
    return (
      <div className="text-xs text-slate-700">
        <p className={`font-semibold ${credits > 0 ? "text-emerald-700" : "text-slate-900"}`}>
          {credits > 0 ? `+${formatCredits(credits)}` : `−${formatCredits(-credits)}`} credits
        </p>
        {typeof data.expiresAt === "string" ? (
          <p>
            expires <LocalTime iso={data.expiresAt} />
          </p>
        ) : credits > 0 ? (
          <p className="text-slate-500">never expires</p>
        ) : null}
      </div>
    );
  }
  if (data === null || data === undefined) return <span className="text-slate-500">—</span>;
  // Any other change recorded as before/after: the fields that differ.
  if (isObject(data) && isObject(data.before) && isObject(data.after)) {
    const before = data.before;
    const after = data.after;
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
      (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
    );
    return (
      <div className="space-y-0.5 text-xs text-slate-700">
        {keys.map((k) => (
          <p key={k}>
            {k}: <span className="text-slate-500 line-through decoration-slate-400">{show(before[k])}</span> →{" "}
            <span className="font-semibold">{show(after[k])}</span>
          </p>
        ))}
      </div>
    );
  }
  return (
    <details className="text-xs">
      <summary className="cursor-pointer text-indigo-700">Data</summary>
      <pre className="mt-1 max-w-[24rem] overflow-x-auto rounded bg-slate-50 p-2 text-[11px] text-slate-700">
        {JSON.stringify(data, null, 2)}
      </pre>
    </details>
  );
}
