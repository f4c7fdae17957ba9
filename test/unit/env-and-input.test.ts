import { containsNul, jsonDepth } from "@/lib/api/body";
import { describe, expect, it } from "vitest";
import { loadEnv, x402Config } from "@/lib/env";
import { signUpSchema } from "@/lib/auth/schemas";
import { formatCountdown, formatCredits, formatUtc } from "@/lib/format";

describe("configuration", () => {
  it("refuses TEST_MODE in production with a clear message", () => {
    expect(() => loadEnv({ NODE_ENV: "production", TEST_MODE: "1" })).toThrow(/TEST_MODE is refused when NODE_ENV=production/);
  });

  it("runs one worker process in test mode, any number otherwise (WEB_CONCURRENCY)", () => {
    expect(() => loadEnv({ TEST_MODE: "1", WEB_CONCURRENCY: "2" })).toThrow(/WEB_CONCURRENCY: test mode runs one process/);
    expect(loadEnv({ TEST_MODE: "1", WEB_CONCURRENCY: "1" }).WEB_CONCURRENCY).toBe(1);
    expect(loadEnv({ NODE_ENV: "production", WEB_CONCURRENCY: "4" }).WEB_CONCURRENCY).toBe(4);
    expect(() => loadEnv({ WEB_CONCURRENCY: "0" })).toThrow(/WEB_CONCURRENCY/);
    expect(loadEnv({}).WEB_CONCURRENCY).toBeUndefined();
  });

  it("moves the jobs worker's clock ahead only in test mode (TEST_CLOCK_OFFSET_MS)", () => {
    expect(() => loadEnv({ TEST_CLOCK_OFFSET_MS: "360000" })).toThrow(/TEST_CLOCK_OFFSET_MS moves the clock: it needs TEST_MODE=1/);
    expect(() => loadEnv({ NODE_ENV: "production", TEST_CLOCK_OFFSET_MS: "360000" })).toThrow(/TEST_CLOCK_OFFSET_MS/);
    expect(loadEnv({ TEST_MODE: "1", TEST_CLOCK_OFFSET_MS: "360000" }).TEST_CLOCK_OFFSET_MS).toBe(360_000);
    expect(loadEnv({}).TEST_CLOCK_OFFSET_MS).toBeUndefined();
  });

  it("applies defaults", () => {
    const env = loadEnv({});
    expect(env.SIGNUP_BONUS_CREDITS).toBe(300);
    expect(env.TEST_MODE).toBe(false);
    expect(env.NEXTAUTH_URL).toBe("http://localhost:3000");
  });

  it("takes an smtp:// or smtps:// SMTP_URL and refuses anything else", () => {
    expect(loadEnv({}).SMTP_URL).toBeUndefined();
    expect(loadEnv({ SMTP_URL: "smtps://user:pass@smtp.example.com:465" }).SMTP_URL).toBe("smtps://user:pass@smtp.example.com:465");
    expect(loadEnv({ SMTP_URL: "smtp://127.0.0.1:2525" }).MAIL_FROM).toBe("Creditbook <no-reply@creditbook.local>");
    expect(() => loadEnv({ SMTP_URL: "https://smtp.example.com" })).toThrow(/SMTP_URL must look like smtp:\/\/host:587/);
  });

  it("x402: on by default outside production, off in production unless asked for, and never without a facilitator", () => {
    const facilitator = { X402_FACILITATOR_URL: "http://127.0.0.1:12112" };
    expect(x402Config(loadEnv(facilitator))).toMatchObject({
      enabled: true,
      network: "eip155:8453",
      facilitatorUrl: "http://127.0.0.1:12112",
    });
    expect(x402Config(loadEnv({ NODE_ENV: "test", ...facilitator, X402_NETWORK: "eip155:84532" }))).toMatchObject({
      enabled: true,
      network: "eip155:84532",
    });
    expect(x402Config(loadEnv({ NODE_ENV: "production", ...facilitator })).enabled).toBe(false);
    expect(
      x402Config(
        loadEnv({ NODE_ENV: "production", DEMO_MODE: "1", NEXTAUTH_SECRET: "a-secret-of-at-least-thirty-two-characters", ...facilitator }),
      ).enabled,
    ).toBe(true);
    expect(x402Config(loadEnv({ X402_ENABLED: "0", ...facilitator })).enabled).toBe(false);
    expect(x402Config(loadEnv({})).enabled).toBe(false);
    const payTo = "0x00000000000000000000000000000000000B0b02";
    expect(x402Config(loadEnv({ NODE_ENV: "production", X402_ENABLED: "1", X402_PAY_TO: payTo, ...facilitator }))).toMatchObject({
      enabled: true,
      payTo: payTo.toLowerCase(),
    });
  });

  it("x402: turning it on in production needs a receiving wallet and a facilitator; bad values are refused", () => {
    expect(() => loadEnv({ NODE_ENV: "production", X402_ENABLED: "1" })).toThrow(/X402_PAY_TO[\s\S]*X402_FACILITATOR_URL/);
    expect(() => loadEnv({ X402_PAY_TO: "0x123" })).toThrow(/X402_PAY_TO must be an EVM address/);
    expect(() => loadEnv({ X402_NETWORK: "eip155:1" })).toThrow(/X402_NETWORK/);
    expect(() => loadEnv({ X402_ENABLED: "yes" })).toThrow(/X402_ENABLED/);
  });

  it("lists every invalid variable", () => {
    expect(() => loadEnv({ DATABASE_URL: "nope", SIGNUP_BONUS_CREDITS: "-5" })).toThrow(/DATABASE_URL[\s\S]*SIGNUP_BONUS_CREDITS/);
  });
});

describe("sign-up input", () => {
  it("normalises the email", () => {
    const r = signUpSchema.parse({ email: "  Ada@Example.COM ", password: "long enough pw" });
    expect(r.email).toBe("ada@example.com");
  });

  it.each([
    [{ email: "not-an-email", password: "long enough pw" }, "email", /valid email/],
    [{ email: "a@b.co", password: "short" }, "password", /at least 10/],
    [{ password: "long enough pw" }, "email", /Enter your email/],
  ])("rejects %j with a message on %s", (input, field, message) => {
    const r = signUpSchema.safeParse(input);
    expect(r.success).toBe(false);
    const issue = r.error!.issues.find((i) => i.path[0] === field);
    expect(issue?.message).toMatch(message);
  });
});

describe("formatting", () => {
  it("formats credits and instants for people", () => {
    expect(formatCredits(20000)).toBe("20,000");
    expect(formatUtc("2026-12-01T00:00:00.000Z")).toBe("Dec 1, 2026, 00:00 UTC");
    expect(formatCountdown("2026-11-23T00:00:00Z", "2026-12-01T00:00:00Z")).toBe("in 8 days");
    expect(formatCountdown("2026-11-30T22:00:00Z", "2026-12-01T00:00:00Z")).toBe("in 2 hours");
  });
});

describe("NUL characters in JSON input", () => {
  it("are found in strings and keys at any depth, without recursion", () => {
    expect(containsNul({ a: ["x", { b: "ok" }] })).toBe(false);
    expect(containsNul({ a: ["x", { b: "o\u0000k" }] })).toBe(true);
    expect(containsNul({ ["k\u0000"]: 1 })).toBe(true);
    let deep: unknown = "bottom\u0000";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(containsNul(deep)).toBe(true);
  });
});

describe("JSON depth", () => {
  it("counts objects and arrays, without recursion", () => {
    expect(jsonDepth("x")).toBe(0);
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth({ a: [1, { b: [] }] })).toBe(4);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(jsonDepth(deep)).toBe(100_000);
  });
});

describe("DEMO_MODE in a production build", () => {
  const secret = "a-secret-of-at-least-thirty-two-characters";
  it("refuses to start on an address others can reach, naming the variable", () => {
    expect(() =>
      loadEnv({ NODE_ENV: "production", DEMO_MODE: "1", NEXTAUTH_URL: "https://billing.example.com", NEXTAUTH_SECRET: secret }),
    ).toThrow(/DEMO_MODE: DEMO_MODE is refused/);
    expect(() =>
      loadEnv({ NODE_ENV: "production", DEMO_MODE: "1", NEXTAUTH_URL: "http://10.0.0.5:3000", NEXTAUTH_SECRET: secret }),
    ).toThrow(/DEMO_MODE/);
  });

  it("refuses the fixed fallback secret", () => {
    expect(() => loadEnv({ NODE_ENV: "production", DEMO_MODE: "1", NEXTAUTH_URL: "http://localhost:3000" })).toThrow(
      /NEXTAUTH_SECRET: set it with DEMO_MODE/,
    );
  });

  it("allows the demo on this machine, and development as before", () => {
    for (const url of ["http://localhost:3000", "http://127.0.0.1:3100", "http://[::1]:3000"]) {
      expect(loadEnv({ NODE_ENV: "production", DEMO_MODE: "1", NEXTAUTH_URL: url, NEXTAUTH_SECRET: secret }).DEMO_MODE).toBe(true);
    }
    expect(loadEnv({ NODE_ENV: "development", DEMO_MODE: "1", NEXTAUTH_URL: "https://billing.example.com" }).DEMO_MODE).toBe(true);
  });
});
