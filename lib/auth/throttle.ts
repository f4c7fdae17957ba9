import { now } from "@/lib/clock";
import { hitRateLimit, releaseRateLimit } from "@/lib/rate-limit";

const WINDOW_MS = 15 * 60 * 1000;
/** Attempts per email (any IP) and per IP (any email) in 15 minutes. */
export const SIGN_IN_LIMITS = { perEmail: 10, perIp: 50 } as const;

export class ThrottledError extends Error {
  constructor(readonly retryAt: Date) {
    super("Too many sign-in attempts. Wait a few minutes and try again.");
  }
}

const keys = (email: string, ip: string) => [`signin:email:${email}`, `signin:ip:${ip}`] as const;

/**
 * Counts a sign-in attempt; throws ThrottledError when the email or the IP is over its limit. Only
 * failures count in the end: call `signInSucceeded` when the password was right. Counting first and
 * giving back on success keeps the limit exact when many guesses arrive at once.
 */
export async function throttleSignIn(email: string, ip: string): Promise<{ at: Date }> {
  const at = now();
  const [emailKey, ipKey] = keys(email, ip);
  const [byEmail, byIp] = await Promise.all([
    hitRateLimit(emailKey, SIGN_IN_LIMITS.perEmail, WINDOW_MS, at),
    hitRateLimit(ipKey, SIGN_IN_LIMITS.perIp, WINDOW_MS, at),
  ]);
  if (!byEmail.allowed || !byIp.allowed) {
    throw new ThrottledError(byEmail.allowed ? byIp.resetAt : byEmail.resetAt);
  }
  return { at };
}

/** A sign-in succeeded: its attempt does not count toward the lockout (the owner never locks themself out by signing in). */
export async function signInSucceeded(email: string, ip: string, attempt: { at: Date }): Promise<void> {
  await Promise.all(keys(email, ip).map((key) => releaseRateLimit(key, WINDOW_MS, attempt.at)));
}
