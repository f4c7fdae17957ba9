import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { authorize } from "@/lib/auth/options";
import { SIGN_IN_LIMITS, ThrottledError, throttleSignIn } from "@/lib/auth/throttle";
import { deleteExpiredRateLimits, hitRateLimit } from "@/lib/rate-limit";
import { newAccount, uniqueEmail } from "./helpers";

describe("sign-in throttling", () => {
  it("allows 10 attempts per email in 15 minutes, then refuses from any IP", async () => {
    const email = uniqueEmail("throttle");
    for (let i = 0; i < SIGN_IN_LIMITS.perEmail; i++) await throttleSignIn(email, `10.0.0.${i}`);
    await expect(throttleSignIn(email, "10.0.1.1")).rejects.toBeInstanceOf(ThrottledError);
  });

  it("counts attempts per IP across emails, exactly once each under concurrency", async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 250)}-${Date.now()}`;
    const results = await Promise.allSettled(Array.from({ length: SIGN_IN_LIMITS.perIp + 5 }, () => throttleSignIn(uniqueEmail("ip"), ip)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(SIGN_IN_LIMITS.perIp);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(5);
  });
});

describe("only failed sign-ins count toward the lockout", () => {
  it("lets the owner sign in any number of times, and still locks out after 10 wrong passwords", async () => {
    const { email } = await newAccount("signins");
    const headers = { "x-forwarded-for": "198.51.100.7" };
    // Twice the limit of successful sign-ins: none of them counts.
    for (let i = 0; i < SIGN_IN_LIMITS.perEmail * 2; i++) {
      expect(await authorize({ email, password: "correct horse battery" }, headers), `sign-in ${i + 1}`).toMatchObject({ email });
    }
    for (let i = 0; i < SIGN_IN_LIMITS.perEmail; i++) expect(await authorize({ email, password: "not the password" }, headers)).toBeNull();
    await expect(authorize({ email, password: "correct horse battery" }, headers)).rejects.toBeInstanceOf(ThrottledError);
  });
});

describe("rate-limit windows", () => {
  it("are deleted by the sweep once long over, and kept while they may still count", async () => {
    const key = `sweep-test:${randomUUID()}`;
    const hour = 60 * 60 * 1000;
    await hitRateLimit(key, 10, hour, new Date(Date.now() - 3 * 24 * hour));
    await hitRateLimit(key, 10, hour, new Date());
    expect(await db.rateLimitCounter.count({ where: { key } })).toBe(2);
    expect(await deleteExpiredRateLimits()).toBeGreaterThanOrEqual(1);
    const left = await db.rateLimitCounter.findMany({ where: { key } });
    expect(left).toHaveLength(1);
    expect(left[0]!.windowStart.getTime()).toBeGreaterThan(Date.now() - 2 * hour);
  });
});
