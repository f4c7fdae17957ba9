import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { now, testClock } from "@/lib/clock";
import { debit } from "@/lib/credits";
import { sweepCredits } from "@/lib/credits/sweep";
import { JOBS, startJobs } from "@/lib/jobs";
import { expectInvariants, workspaceWith } from "./helpers";

afterEach(() => {
  testClock.reset();
});

function nextFirst(): Date {
  const at = now();
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1, 0, 0, 30));
}

describe("the scheduled sweep", () => {
  it("runs queued work at reset with no traffic: grants the allowance and charges the queue", async () => {
    const { workspaceId } = await workspaceWith(0, "sweep");
    expect((await debit({ workspaceId, actionKey: "sonic.analysis", subject: "t1" })).outcome).toBe("queued");
    testClock.set(nextFirst());

    // Only this test's workspace: at next month's date every other test's workspace would be due too.
    expect(await sweepCredits({ workspaceIds: [workspaceId] })).toEqual({ workspaces: 1 });
    const event = await db.usageEvent.findFirstOrThrow({ where: { workspaceId } });
    expect(event.status).toBe("COMPLETED");
    const allowance = await db.creditGrant.findFirstOrThrow({ where: { workspaceId, type: "SUBSCRIPTION", remaining: { gt: 0 } } });
    expect(allowance.remaining).toBe(95);
    expect(await sweepCredits({ workspaceIds: [workspaceId] })).toEqual({ workspaces: 0 }); // nothing left to do
    await expectInvariants(workspaceId);
  });

  it("is a pg-boss job the worker picks up and completes", async () => {
    const boss = await startJobs({ schedule: false });
    try {
      const id = await boss.send(JOBS.creditsSweep, {});
      expect(id).toBeTruthy();
      await expect
        .poll(async () => (await boss.getJobById(JOBS.creditsSweep, id!, { includeArchive: true }))?.state, { timeout: 20_000, interval: 250 })
        .toBe("completed");
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  });
});
