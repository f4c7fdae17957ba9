import { describe, expect, it } from "vitest";
import { SIGN_IN_LIMITS, ThrottledError, throttleSignIn } from "@/lib/auth/throttle";
import { uniqueEmail } from "./helpers";

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
