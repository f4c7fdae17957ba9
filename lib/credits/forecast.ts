/**
 * At today's pace: the usage projected at the period's end, and when the credits would run out if
 * that comes before the reset (pure; the billing panel shows it so the upgrade prompt comes in time).
 */
export type Forecast = {
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

export function forecast(input: { used: number; remaining: number; periodStart: string; periodEnd: string; asOf: string }): Forecast | null {
  const start = Date.parse(input.periodStart);
  const end = Date.parse(input.periodEnd);
  const at = Date.parse(input.asOf);
  const elapsed = at - start;
  if (!(elapsed >= MIN_ELAPSED_MS) || !(end > at) || input.used <= 0) return null;
  const perMs = input.used / elapsed;
  const projectedUse = Math.round(input.used + perMs * (end - at));
  const runsOutMs = at + input.remaining / perMs;
  return {
    perDay: Math.round(perMs * DAY_MS),
    projectedUse,
    runsOutAt: runsOutMs < end ? new Date(Math.floor(runsOutMs)).toISOString() : null,
  };
}
