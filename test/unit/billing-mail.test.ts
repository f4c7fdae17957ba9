import { describe, expect, it } from "vitest";
import { formatMoney } from "@/lib/format";
import { autoTopUpFailedMail, paymentFailedMail, planChangedMail, trialEndingMail, usageThresholdMail } from "@/lib/mail/billing-templates";
import { unsubscribeToken, validUnsubscribeToken } from "@/lib/mail/unsubscribe";

const common = { workspaceName: "Acme <Music>", billingUrl: "https://app.example.test/settings/billing" };
const APRIL_1 = new Date("2031-04-01T00:00:00Z");

describe("billing mail templates", () => {
  it("shows money with cents", () => {
    expect([formatMoney(2900), formatMoney(999), formatMoney(123456), formatMoney(0)]).toEqual(["$29.00", "$9.99", "$1,234.56", "$0.00"]);
  });

  it("states dates in UTC, links to Settings → Billing, and escapes names in HTML", () => {
    const mail = paymentFailedMail({
      ...common,
      planName: "Pro",
      amountCents: 2900,
      pastDueSince: APRIL_1,
      pausesAt: new Date("2031-04-08T00:00:00Z"),
      freeAt: new Date("2031-05-01T00:00:00Z"),
      reason: "Your card was declined.",
    });
    expect(mail.subject).toBe("Payment failed: $29.00 for Pro");
    expect(mail.text).toContain("still unpaid on Apr 8, 2031, 00:00 UTC, the workspace is paused");
    expect(mail.text).toContain("still unpaid on May 1, 2031, 00:00 UTC, the workspace returns to the Free plan");
    expect(mail.text).toContain("(Your card was declined.)");
    expect(mail.text).toContain(common.billingUrl);
    expect(mail.html).toContain(`href="${common.billingUrl}"`);
    expect(mail.html).toContain("Acme &lt;Music&gt;");
    expect(mail.html).not.toContain("Acme <Music>");
  });

  it("puts an unsubscribe link in usage notices only", () => {
    const usage = usageThresholdMail({
      ...common,
      unsubscribeUrl: "https://app.example.test/mail/unsubscribe?u=1&t=2",
      planName: "Pro",
      threshold: 80,
      used: 4000,
      allowance: 5000,
      resetsAt: APRIL_1,
      nextPlanName: "Scale",
    });
    expect(usage.text).toContain("used 80% of its Pro allowance this period (4,000 of 5,000 credits)");
    expect(usage.text).toContain("Unsubscribe here:\nhttps://app.example.test/mail/unsubscribe?u=1&t=2");
    expect(usage.html).toContain("Unsubscribe from usage notices");
    const trial = trialEndingMail({
      ...common,
      planName: "Pro",
      trialEnd: APRIL_1,
      amountCents: 2900,
      interval: "month",
      cancelling: false,
    });
    const plan = planChangedMail({ ...common, change: "cancellation_scheduled", planName: "Pro", effectiveAt: APRIL_1, trial: false });
    const topUp = autoTopUpFailedMail({
      ...common,
      packName: "Starter",
      credits: 1000,
      amountCents: 1000,
      reason: "Declined.",
      balance: 90,
      outcome: "declined",
    });
    for (const mail of [trial, plan, topUp]) {
      expect(mail.text).not.toMatch(/unsubscribe/i);
      expect(mail.html).not.toMatch(/unsubscribe/i);
    }
    expect(trial.text).toContain("ends on Apr 1, 2031, 00:00 UTC");
    expect(trial.text).toContain("$29.00 per month");
    expect(topUp.text).toContain("Starter (1,000 credits, $10.00)");
  });
});

describe("unsubscribe tokens", () => {
  it("accept the token of the same user only", () => {
    const token = unsubscribeToken("user-1");
    expect(validUnsubscribeToken("user-1", token)).toBe(true);
    expect(validUnsubscribeToken("user-2", token)).toBe(false);
    expect(validUnsubscribeToken("user-1", `${token.slice(0, -1)}A`)).toBe(token.endsWith("A"));
    expect(validUnsubscribeToken("user-1", "")).toBe(false);
  });
});
