import { describe, expect, it } from "vitest";
import { loadEnv } from "@/lib/env";
import { signUpSchema } from "@/lib/auth/schemas";
import { formatCountdown, formatCredits, formatUtc } from "@/lib/format";

describe("configuration", () => {
  it("refuses TEST_MODE in production with a clear message", () => {
    expect(() => loadEnv({ NODE_ENV: "production", TEST_MODE: "1" })).toThrow(/TEST_MODE is refused when NODE_ENV=production/);
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
