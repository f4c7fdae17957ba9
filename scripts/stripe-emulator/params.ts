// Typed reads of request parameters with Stripe's validation errors. Error `param`s use Stripe's
// bracket paths, e.g. `line_items[0][price_data][unit_amount]`.
import { invalidParam, missingParam, unknownParam } from "./errors.ts";
import type { FormObject, FormValue } from "./form.ts";

export type Metadata = Record<string, string>;

export class Params {
  constructor(
    readonly values: FormObject,
    private readonly prefix = "",
  ) {}

  path(key: string): string {
    return this.prefix ? `${this.prefix}[${key}]` : key;
  }

  has(key: string): boolean {
    return this.values[key] !== undefined;
  }

  /** Rejects parameters the endpoint does not know, as Stripe does (`parameter_unknown`). */
  allowOnly(keys: readonly string[]): this {
    for (const key of Object.keys(this.values)) if (!keys.includes(key)) throw unknownParam(this.path(key));
    return this;
  }

  /** A string; an empty value counts as absent. */
  str(key: string, opts: { max?: number } = {}): string | undefined {
    const v = this.values[key];
    if (v === undefined || v === "") return undefined;
    if (typeof v !== "string") throw invalidParam(this.path(key), `Invalid string: ${JSON.stringify(v)}`);
    if (opts.max !== undefined && v.length > opts.max)
      throw invalidParam(this.path(key), `Invalid ${this.path(key)}: must be at most ${opts.max} characters`);
    return v;
  }

  requireStr(key: string, opts: { max?: number } = {}): string {
    const v = this.str(key, opts);
    if (v === undefined) throw missingParam(this.path(key));
    return v;
  }

  /** For updates: undefined = not sent, null = sent empty (unset). */
  nullableStr(key: string): string | null | undefined {
    return this.values[key] === "" ? null : this.str(key);
  }

  int(key: string, opts: { min?: number; max?: number } = {}): number | undefined {
    const raw = this.str(key);
    if (raw === undefined) return undefined;
    if (!/^-?\d+$/.test(raw)) throw invalidParam(this.path(key), `Invalid integer: ${raw}`, "parameter_invalid_integer");
    const n = Number(raw);
    if (opts.min !== undefined && n < opts.min)
      throw invalidParam(this.path(key), `This value must be greater than or equal to ${opts.min}.`, "parameter_invalid_integer");
    if (opts.max !== undefined && n > opts.max)
      throw invalidParam(this.path(key), `This value must be less than or equal to ${opts.max}.`, "parameter_invalid_integer");
    return n;
  }

  bool(key: string): boolean | undefined {
    const raw = this.str(key);
    if (raw === undefined) return undefined;
    if (raw !== "true" && raw !== "false") throw invalidParam(this.path(key), `Invalid boolean: ${raw}`);
    return raw === "true";
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const raw = this.str(key);
    if (raw === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(raw))
      throw invalidParam(this.path(key), `Invalid ${this.path(key)}: must be one of ${allowed.join(", ")}`);
    return raw as T;
  }

  url(key: string): string | undefined {
    const raw = this.str(key, { max: 5000 });
    if (raw === undefined) return undefined;
    if (!/^https?:\/\/[^\s]+$/i.test(raw.replace("{CHECKOUT_SESSION_ID}", "x")))
      throw invalidParam(this.path(key), `Not a valid URL`, "url_invalid");
    return raw;
  }

  obj(key: string): Params | undefined {
    const v = this.values[key];
    if (v === undefined || v === "") return undefined;
    if (typeof v === "string" || Array.isArray(v)) throw invalidParam(this.path(key), `Invalid object`);
    return new Params(v, this.path(key));
  }

  /** An array of objects (`line_items[0][…]`). */
  list(key: string): Params[] {
    const v = this.values[key];
    if (v === undefined || v === "") return [];
    if (!Array.isArray(v)) throw invalidParam(this.path(key), `Invalid array`);
    return v.map((item, i) => {
      if (typeof item === "string" || Array.isArray(item)) throw invalidParam(`${this.path(key)}[${i}]`, `Invalid object`);
      return new Params(item, `${this.path(key)}[${i}]`);
    });
  }

  /** An array of strings (`expand[]=a`, `types[0]=b`); a single string is accepted as one item. */
  strList(key: string): string[] {
    const v = this.values[key];
    if (v === undefined || v === "") return [];
    const items: FormValue[] = Array.isArray(v) ? v : [v];
    return items.map((item, i) => {
      if (typeof item !== "string") throw invalidParam(`${this.path(key)}[${i}]`, `Invalid string: ${JSON.stringify(item)}`);
      return item;
    });
  }

  /** Metadata as Stripe takes it: string values, `metadata=` unsets all, `metadata[k]=` unsets one. */
  metadata(key = "metadata"): { set: Metadata; unset: string[] } | null | undefined {
    const v = this.values[key];
    if (v === undefined) return undefined;
    if (v === "") return null;
    if (typeof v === "string" || Array.isArray(v)) throw invalidParam(this.path(key), `Invalid object`);
    const set: Metadata = {};
    const unset: string[] = [];
    for (const [k, value] of Object.entries(v)) {
      if (typeof value !== "string") throw invalidParam(`${this.path(key)}[${k}]`, `Invalid string: ${JSON.stringify(value)}`);
      if (k.length > 40) throw invalidParam(`${this.path(key)}[${k}]`, `Metadata keys can have up to 40 characters.`);
      if (value.length > 500) throw invalidParam(`${this.path(key)}[${k}]`, `Metadata values can have up to 500 characters.`);
      if (value === "") unset.push(k);
      else set[k] = value;
    }
    return { set, unset };
  }

  /** Metadata for a new object. */
  newMetadata(key = "metadata"): Metadata {
    return applyMetadata({}, this.metadata(key));
  }

  /** A raw sub-tree, for parameters the emulator stores without interpreting. */
  raw(key: string): FormValue | undefined {
    return this.values[key];
  }
}

export function applyMetadata(current: Metadata, change: { set: Metadata; unset: string[] } | null | undefined): Metadata {
  if (change === undefined) return current;
  if (change === null) return {};
  const next = { ...current, ...change.set };
  for (const k of change.unset) delete next[k];
  if (Object.keys(next).length > 50) throw invalidParam("metadata", "You can have up to 50 metadata keys.");
  return next;
}
