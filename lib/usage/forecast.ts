/**
 * At today's pace: the usage projected at the period's end, and when the credits would run out if
 * that comes before the reset (pure; the billing panel shows it so the upgrade prompt comes in time).
 * With nothing left there is no run-out date to forecast: the credits have run out (`ranOut`), and
 * what the viewer needs is when they come back (the period's end).
 */
export type Forecast = {
  /** Nothing is left: the credits have already run out; `runsOutAt` is then null. */
  ranOut: boolean;
  /** Credits a day so far this period. */
  perDay: number;
  /** Used so far plus the same pace until the period ends. */
  projectedUse: number;
  /** When the remaining credits run out at this pace, only if before the period ends. */
  runsOutAt: string | null;
};

const DAY_MS = 86_400_000;
/** Below this much of a period the pace says little: no forecast in the first hours. */
const MIN_ELAPSED_MS = 6 * 3_600_000;

export function forecast(input: {
  used: number;
  remaining: number;
  periodStart: string;
  periodEnd: string;
  asOf: string;
}): Forecast | null {
  const start = Date.parse(input.periodStart);
  const end = Date.parse(input.periodEnd);
  const at = Date.parse(input.asOf);
  const elapsed = at - start;
  if (input.remaining <= 0 && end > at) {
    const paced = elapsed >= MIN_ELAPSED_MS && input.used > 0;
    return {
      ranOut: true,
      perDay: paced ? Math.round((input.used / elapsed) * DAY_MS) : 0,
      projectedUse: Math.max(0, input.used),
      runsOutAt: null,
    };
  }
  if (!(elapsed >= MIN_ELAPSED_MS) || !(end > at) || input.used <= 0) return null;
  const perMs = input.used / elapsed;
  const projectedUse = Math.round(input.used + perMs * (end - at));
  const runsOutMs = at + input.remaining / perMs;
  return {
    ranOut: false,
    perDay: Math.round(perMs * DAY_MS),
    projectedUse,
    runsOutAt: runsOutMs < end ? new Date(Math.floor(runsOutMs)).toISOString() : null,
  };
}
