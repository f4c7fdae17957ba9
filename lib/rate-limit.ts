import "server-only";
import { getPool, utcTimestamp } from "@/lib/db";

export type RateLimitResult = { allowed: boolean; limit: number; count: number; remaining: number; resetAt: Date };

/**
 * Fixed-window counter in PostgreSQL, shared by every app instance. One statement: the upsert's row
 * lock makes concurrent hits count exactly once each.
 */
export async function hitRateLimit(key: string, limit: number, windowMs: number, at: Date): Promise<RateLimitResult> {
  const windowStart = new Date(Math.floor(at.getTime() / windowMs) * windowMs);
  // Plain pg on the shared pool: this runs on every API call.
  const { rows } = await getPool().query<{ count: number }>(
    `INSERT INTO "RateLimitCounter" (key, "windowStart", count) VALUES ($1, $2::timestamp(3), 1)
     ON CONFLICT (key, "windowStart") DO UPDATE SET count = "RateLimitCounter".count + 1
     RETURNING count`,
    [key, utcTimestamp(windowStart)],
  );
  const count = Number(rows[0]?.count ?? limit + 1);
  return {
    allowed: count <= limit,
    limit,
    count,
    remaining: Math.max(0, limit - count),
    resetAt: new Date(windowStart.getTime() + windowMs),
  };
}

/**
 * Gives one hit back to the window `at` falls in (never below 0): for limits that count failures
 * only, the attempt is counted before its outcome is known (so parallel attempts cannot slip past the
 * limit) and given back when it succeeded.
 */
export async function releaseRateLimit(key: string, windowMs: number, at: Date): Promise<void> {
  const windowStart = new Date(Math.floor(at.getTime() / windowMs) * windowMs);
  await getPool().query(
    `UPDATE "RateLimitCounter" SET count = count - 1 WHERE key = $1 AND "windowStart" = $2::timestamp(3) AND count > 0`,
    [key, utcTimestamp(windowStart)],
  );
}

/** The longest window any limit uses is an hour; windows are kept a day past that, then deleted. */
const KEEP_WINDOWS_MS = 25 * 60 * 60 * 1000;

/** For the jobs sweep: deletes rate-limit windows that ended long ago (by the database's clock). */
export async function deleteExpiredRateLimits(): Promise<number> {
  const { rowCount } = await getPool().query(
    `DELETE FROM "RateLimitCounter" WHERE "windowStart" < (now() AT TIME ZONE 'UTC') - $1 * interval '1 millisecond'`,
    [KEEP_WINDOWS_MS],
  );
  return rowCount ?? 0;
}
