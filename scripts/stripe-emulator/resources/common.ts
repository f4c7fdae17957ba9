// Small pieces several resources share.
import { invalidParam } from "../errors.ts";
import type { Params } from "../params.ts";

export type Address = {
  city: string | null;
  country: string | null;
  line1: string | null;
  line2: string | null;
  postal_code: string | null;
  state: string | null;
};

const ADDRESS_FIELDS = ["city", "country", "line1", "line2", "postal_code", "state"] as const;

export function addressFrom(p: Params | undefined): Address | null {
  if (!p) return null;
  p.allowOnly(ADDRESS_FIELDS);
  return Object.fromEntries(ADDRESS_FIELDS.map((k) => [k, p.str(k) ?? null])) as Address;
}

/** A lowercase ISO currency code. */
export function currencyParam(p: Params, key = "currency", required = false): string | undefined {
  const raw = required ? p.requireStr(key) : p.str(key);
  if (raw === undefined) return undefined;
  if (!/^[a-zA-Z]{3}$/.test(raw))
    throw invalidParam(p.path(key), `Invalid currency: ${raw}. Stripe currently supports these currencies: usd, eur, gbp, …`);
  return raw.toLowerCase();
}

/**
 * Applies the fields of `next` that differ from `object` and returns their previous values — an update
 * event's `data.previous_attributes`.
 */
export function applyChanges<T extends object>(object: T, next: Partial<T>): Partial<T> {
  const previous: Partial<T> = {};
  for (const key of Object.keys(next) as (keyof T)[]) {
    const value = next[key];
    if (value === undefined || JSON.stringify(value) === JSON.stringify(object[key])) continue;
    previous[key] = object[key];
    object[key] = value as T[keyof T];
  }
  return previous;
}

/** Stripe's minimum charge amounts for common currencies (others are not checked). */
export const MINIMUM_AMOUNT: Record<string, number> = { usd: 50, eur: 50, cad: 50, aud: 50, gbp: 30 };

/** Zero-decimal currencies are stored in whole units; Intl knows which (JPY → 0 fraction digits). */
export function formatAmount(amount: number, currency: string): string {
  const format = new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}
