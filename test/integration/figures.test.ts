import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { randomUUID } from "node:crypto";
import { addCredits, debit, getBalance } from "@/lib/credits";
import { detectUsageAlerts } from "@/lib/alerts/usage-alerts";
import { db } from "@/lib/db";
import { expectInvariants, newAccount } from "./helpers";

// Real ledgers with random mixes of buckets (the Free allowance, the sign-up bonus, purchased packs) and
// random spending: every figure the billing page, the prompt and the alerts show must add up.
describe("billing figures over real ledgers", () => {
  it("never show N of M with N > M, and the parts sum to what was used", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 600 }), { minLength: 0, maxLength: 2 }),
        fc.array(fc.constantFrom("aria.chat", "image.generate", "video.generate", "sonic.analysis"), { minLength: 1, maxLength: 25 }),
        async (packs, actions) => {
          const { workspaceId } = await newAccount("figures");
          for (const credits of packs)
            await addCredits({ workspaceId, type: "PURCHASED", credits, expiresAt: null, source: `test-pack:${randomUUID()}` });
          for (const actionKey of actions) await debit({ workspaceId, actionKey });
          const b = await getBalance(workspaceId);
          expect(b.allowance).toBe(100);
          expect(b.allowanceUsed).toBeLessThanOrEqual(b.allowance!);
          expect(b.allowanceUsed + b.beyondPlan).toBe(b.used);
          expect(b.allowanceUsed).toBe(b.allowance! - b.allowanceRemaining);
          expect(b.remaining).toBe(b.remainingByType.SUBSCRIPTION + b.remainingByType.BONUS + b.remainingByType.PURCHASED);
          // Bonus and purchased spend is only ever what the allowance could not cover.
          if (b.beyondPlan > 0) expect(b.allowanceUsed).toBe(b.allowance);
          const { pending } = await detectUsageAlerts(workspaceId);
          for (const alert of pending) expect(alert.used, "an alert's N of M").toBeLessThanOrEqual(alert.allowance);
          await expectInvariants(workspaceId);
        },
      ),
      { numRuns: 12 },
    );
  });

  it("spending into bonus credits keeps the allowance at 100 %, not over it (the issue's 7,300 of 5,000)", async () => {
    const { workspaceId } = await newAccount("into-bonus");
    await db.workspace.update({ where: { id: workspaceId }, data: { alertThresholds: [50, 80, 100] } });
    for (let i = 0; i < 15; i++) await debit({ workspaceId, actionKey: "video.generate" }); // 15 × 20 = 300: 100 allowance + 200 bonus
    const b = await getBalance(workspaceId);
    expect(b).toMatchObject({ used: 300, allowanceUsed: 100, beyondPlan: 200, allowance: 100 });
    const { pending } = await detectUsageAlerts(workspaceId);
    expect(pending.map((a) => [a.threshold, a.used, a.allowance]).sort((x, y) => x[0]! - y[0]!)).toEqual([
      [50, 100, 100],
      [80, 100, 100],
      [100, 100, 100],
    ]);
  });
});
