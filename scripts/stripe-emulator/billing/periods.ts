// Subscription periods as Stripe bills them: boundaries run from the billing cycle anchor in steps of
// the price's interval. A monthly step keeps the anchor's day of month, clamped to the month's length
// (anchored on the 31st: Jan 31 → Feb 28 → Mar 31), and its time of day; a yearly step is 12 months.
// A proration is the share of one full interval (in seconds) that a partial period covers.

export type Cycle = { interval: "day" | "week" | "month" | "year"; interval_count: number };

export const DAY = 86_400;

const APPROXIMATE_SECONDS = { day: DAY, week: 7 * DAY, month: 2_629_746, year: 31_556_952 } as const;

/** The boundary `n` intervals from `anchor` (n may be negative). */
export function shift(anchor: number, cycle: Cycle, n: number): number {
  const steps = n * cycle.interval_count;
  if (cycle.interval === "day") return anchor + steps * DAY;
  if (cycle.interval === "week") return anchor + steps * 7 * DAY;
  const months = cycle.interval === "year" ? steps * 12 : steps;
  const at = new Date(anchor * 1000);
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth() + months;
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(at.getUTCDate(), daysInMonth);
  return Date.UTC(year, month, day, at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds()) / 1000;
}

/** The index of the last boundary at or before `t`. */
function indexAtOrBefore(anchor: number, cycle: Cycle, t: number): number {
  let n = Math.floor((t - anchor) / (APPROXIMATE_SECONDS[cycle.interval] * cycle.interval_count));
  while (shift(anchor, cycle, n) > t) n--;
  while (shift(anchor, cycle, n + 1) <= t) n++;
  return n;
}

/** The first boundary of the anchor's cycle strictly after `t`: the end of the period that holds `t`. */
export function boundaryAfter(anchor: number, cycle: Cycle, t: number): number {
  return shift(anchor, cycle, indexAtOrBefore(anchor, cycle, t) + 1);
}

/** The last boundary strictly before `t`. */
function boundaryBefore(anchor: number, cycle: Cycle, t: number): number {
  return shift(anchor, cycle, indexAtOrBefore(anchor, cycle, t - 1));
}

/**
 * `amount` for the time from `from` to the boundary `end`, as a share of the full interval that ends
 * there (the month before Dec 1 is Nov 1 → Dec 1: 30 days), rounded to the unit.
 */
export function prorate(amount: number, from: number, end: number, anchor: number, cycle: Cycle): number {
  const full = end - boundaryBefore(anchor, cycle, end);
  return Math.round((amount * (end - from)) / full);
}

export type FirstPeriod = { start: number; end: number; anchor: number; trialEnd: number | null; prorated: boolean };

/**
 * A new subscription's first period: a trial (start → start + days), a partial period up to a future
 * billing cycle anchor (prorated unless `prorate` is false, then free), or one full interval.
 */
export function firstPeriod(start: number, cycle: Cycle, opts: { trialDays?: number; anchor?: number }): FirstPeriod {
  if (opts.trialDays !== undefined) {
    const end = start + opts.trialDays * DAY;
    return { start, end, anchor: end, trialEnd: end, prorated: false };
  }
  if (opts.anchor !== undefined && opts.anchor > start)
    return { start, end: boundaryAfter(opts.anchor, cycle, start), anchor: opts.anchor, trialEnd: null, prorated: true };
  return { start, end: shift(start, cycle, 1), anchor: start, trialEnd: null, prorated: false };
}

/** What the first period costs now for `amount` per interval (0 in a trial). */
export function firstPeriodAmount(amount: number, period: FirstPeriod, cycle: Cycle, prorations: boolean): number {
  if (period.trialEnd !== null) return 0;
  if (!period.prorated) return amount;
  return prorations ? prorate(amount, period.start, period.end, period.anchor, cycle) : 0;
}
