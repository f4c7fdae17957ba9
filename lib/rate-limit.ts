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
