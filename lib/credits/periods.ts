/**
 * Credit periods (pure). docs/design.md "Periods, allowance and reset":
 * - monthly plans reset at 00:00 UTC on the 1st of each calendar month;
 * - annual plans get their allowance each month at 00:00 UTC on the renewal day-of-month (clamped
 *   to the month's last day).
 * Every period starts at 00:00 UTC, so daily usage rollups add up to a period exactly.
 */
export type BillingInterval = "MONTH" | "YEAR";
export type Period = { start: Date; end: Date };

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/** 00:00 UTC of the annual plan's monthly renewal day in (year, monthIndex); monthIndex may overflow. */
function renewalIn(anchor: Date, year: number, monthIndex: number): Date {
  const first = new Date(Date.UTC(year, monthIndex, 1));
  const y = first.getUTCFullYear();
  const m = first.getUTCMonth();
  return new Date(Date.UTC(y, m, Math.min(anchor.getUTCDate(), daysInMonth(y, m))));
}

export function creditPeriod(at: Date, interval: BillingInterval, anchor: Date): Period {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  if (interval === "MONTH") {
    return { start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 1)) };
  }
  const thisMonth = renewalIn(anchor, y, m);
  if (thisMonth.getTime() <= at.getTime()) {
    return { start: thisMonth, end: renewalIn(anchor, y, m + 1) };
  }
  return { start: renewalIn(anchor, y, m - 1), end: thisMonth };
}

/** The unique source of a period's SUBSCRIPTION grant: one grant per workspace and period. */
export function periodSource(period: Period): string {
  return `period:${period.start.toISOString()}`;
}
