// Stripe's form encoding, as stripe-node writes it: nested objects `a[b][c]=v`, arrays with indices
// `line_items[0][price_data][unit_amount]=1000` or empty brackets `expand[]=x`; an empty value unsets.

export type FormValue = string | FormValue[] | FormObject;
export type FormObject = { [key: string]: FormValue };

const FORBIDDEN = new Set(["__proto__", "prototype", "constructor"]);

/** `a[b][0][]` → ["a", "b", "0", ""]; a key that is not in bracket form is one segment. */
function splitKey(key: string): string[] {
  const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!m) return [key];
  const rest = [...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((s) => s[1]!);
  return [m[1]!, ...rest];
}

function assign(node: FormObject, path: string[], value: string): void {
  let target = node;
  for (let i = 0; i < path.length; i++) {
    let segment = path[i]!;
    if (FORBIDDEN.has(segment)) return;
    if (segment === "") segment = String(Object.keys(target).length); // `[]` appends
    if (i === path.length - 1) {
      target[segment] = value;
      return;
    }
    const next = target[segment];
    if (next === undefined || typeof next === "string" || Array.isArray(next)) target[segment] = {};
    target = target[segment] as FormObject;
  }
}

/** Objects whose keys are all indices become arrays (in index order), except under `metadata`. */
function withArrays(value: FormValue, parentKey: string): FormValue {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const entries = keys.map((k) => [k, withArrays(value[k]!, k)] as const);
  if (parentKey !== "metadata" && keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return entries.sort((a, b) => Number(a[0]) - Number(b[0])).map(([, v]) => v);
  }
  return Object.fromEntries(entries);
}

export function parseForm(body: string): FormObject {
  const root: FormObject = {};
  for (const [key, value] of new URLSearchParams(body)) assign(root, splitKey(key), value);
  return withArrays(root, "") as FormObject;
}

/** JSON bodies (accepted by the /_emulator control endpoints) in the same shape: scalars as strings. */
export function fromJson(value: unknown): FormValue {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(fromJson);
  if (typeof value === "object") {
    const out: FormObject = {};
    for (const [k, v] of Object.entries(value)) if (!FORBIDDEN.has(k)) out[k] = fromJson(v);
    return out;
  }
  return String(value);
}
