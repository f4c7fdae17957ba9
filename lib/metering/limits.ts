import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { hitRateLimit, type RateLimitResult } from "@/lib/rate-limit";

/**
 * Hourly limits of the metering API (docs/design.md "Integration and limits"), counted in PostgreSQL so every app
 * instance shares them. Fixed one-hour windows aligned to the clock hour: simple, exact, and the reset
 * instant is the same for every client.
 * - `action`: calls that start an action (track, reservations): the key's hourly cap (default 60);
 *   platform keys count per workspace.
 * - `read`: everything else (check, balance, usage, events, commit, release, refund): 3,600 an hour,
 *   to protect the server.
 */
export const WINDOW_MS = 60 * 60 * 1000;
export const READ_LIMIT_PER_HOUR = 3_600;

export type LimitKind = "action" | "read";

export function countCall(input: {
  kind: LimitKind;
  clientId: string;
  workspaceId: string | null;
  hourlyCap: number;
  platform: boolean;
}): Promise<RateLimitResult> {
  const scope = input.platform && input.workspaceId ? `${input.clientId}:${input.workspaceId}` : input.clientId;
  const limit = input.kind === "action" ? input.hourlyCap : READ_LIMIT_PER_HOUR;
  return hitRateLimit(`api:${input.kind}:${scope}`, limit, WINDOW_MS, now());
}

/** RateLimit-* headers (and the IETF draft RateLimit-Policy / RateLimit fields) for a counted call. */
export function rateLimitHeaders(result: RateLimitResult, at: Date = now()): Record<string, string> {
  const reset = Math.max(0, Math.ceil((result.resetAt.getTime() - at.getTime()) / 1000));
  const policy = `"hourly";q=${result.limit};w=${WINDOW_MS / 1000}`;
  return {
    "RateLimit-Limit": String(result.limit),
    "RateLimit-Remaining": String(result.remaining),
    "RateLimit-Reset": String(reset),
    "RateLimit-Policy": policy,
    RateLimit: `"hourly";r=${result.remaining};t=${reset}`,
    ...(result.allowed ? {} : { "Retry-After": String(Math.max(1, reset)) }),
  };
}

/** 429 for a call over its hourly limit (send it with rateLimitHeaders: Retry-After is the reset). */
export function rateLimitedError(limit: RateLimitResult, kind: LimitKind): AppError {
  return new AppError(
    "rate_limited",
    `This key made ${limit.limit} ${kind === "action" ? "action calls" : "calls"} this hour, its limit.`,
    {
      nextStep: "Wait until the window resets (Retry-After), or ask the workspace owner to raise the key's hourly cap.",
      details: { limit: limit.limit, reset_at: limit.resetAt.toISOString() },
    },
  );
}
