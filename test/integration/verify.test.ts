import { describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { db } from "@/lib/db";
import { runConcurrency } from "../../scripts/verify/concurrency";
import { runWebhooks } from "../../scripts/verify/webhooks";
import { runFuzz } from "../../scripts/verify/fuzz";
import { runCaps } from "../../scripts/verify/caps";
import type { Outcome } from "../../scripts/verify/support";
import { routeTarget } from "./route-target";

// Small versions of `npm run verify`'s scenarios 1, 3, 4 and 5 (scripts/verify/), run in-process through
// the route handlers so `npm test` keeps covering them in seconds. The harness runs the same modules
// over HTTP against built instances, with the full sizes.
const SEED = 20261123;

function expectOk(outcome: Outcome) {
  expect(outcome.problems).toEqual([]);
  expect(outcome.ok).toBe(true);
}

// A scenario is hundreds of operations (about 10 s on an idle 2-core machine): room for a busy one.
const SCENARIO_TIMEOUT_MS = 90_000;

describe("verify scenarios, small", () => {
  it(
    "1. random concurrent operations keep every ledger invariant",
    async () => {
      const outcome = await runConcurrency(routeTarget(), db, { ops: 400, clients: 8, workspaces: 6, seed: SEED });
      expectOk(outcome);
      expect(outcome.figures).toMatch(/ops 400,.*violations 0, overdrafts 0, double charges 0, 5xx 0/);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "3. webhooks once in order, 3× shuffled with failed attempts, and mid-story (while Stripe's state changes) give the same state; tampered and malformed ones change nothing",
    async () => {
      const outcome = await runWebhooks(routeTarget(), db, {
        seed: SEED,
        emulatorBase: env.STRIPE_API_BASE!,
        secretKey: env.STRIPE_SECRET_KEY!,
        webhookSecret: env.STRIPE_WEBHOOK_SECRET!,
      });
      expectOk(outcome);
      expect(outcome.figures).toContain("A = B: yes");
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "4. fuzzed requests to every metering route: no 5xx, errors in the documented shape, no balance change from a rejected request",
    async () => {
      const outcome = await runFuzz(routeTarget(), db, { requests: 400, concurrency: 8, seed: SEED, apiOnly: true, hugeBytes: 256 * 1024 });
      expectOk(outcome);
      expect(outcome.figures).toMatch(/^5xx 0, bad error shape 0, balance changes from rejected 0/);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it("5. an hourly cap and a pending cap hold exactly under parallel calls through two targets", async () => {
    const outcome = await runCaps([routeTarget("a"), routeTarget("b")], db, { calls: 40, hourlyCap: 10, reservations: 12, pendingCap: 4 });
    expectOk(outcome);
    expect(outcome.figures).toBe("track: 10 ok / 30 429 (10 events); reservations: 4 held / 8 429");
  });
});
