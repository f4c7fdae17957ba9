import { now } from "@/lib/clock";
import { hitRateLimit } from "@/lib/rate-limit";

const WINDOW_MS = 15 * 60 * 1000;
/** Attempts per email (any IP) and per IP (any email) in 15 minutes. */
export const SIGN_IN_LIMITS = { perEmail: 10, perIp: 50 } as const;

export class ThrottledError extends Error {
  constructor(readonly retryAt: Date) {
    super("Too many sign-in attempts. Wait a few minutes and try again.");
  }
}

/** Counts a sign-in attempt; throws ThrottledError when the email or the IP is over its limit. */
export async function throttleSignIn(email: string, ip: string): Promise<void> {
  const at = now();
  const [byEmail, byIp] = await Promise.all([
    hitRateLimit(`signin:email:${email}`, SIGN_IN_LIMITS.perEmail, WINDOW_MS, at),
    hitRateLimit(`signin:ip:${ip}`, SIGN_IN_LIMITS.perIp, WINDOW_MS, at),
  ]);
  if (!byEmail.allowed || !byIp.allowed) {
    throw new ThrottledError(byEmail.allowed ? byIp.resetAt : byEmail.resetAt);
  }
}
