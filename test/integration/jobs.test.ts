import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { now, testClock } from "@/lib/clock";
import { debit } from "@/lib/credits";
import { sweepCredits } from "@/lib/credits/sweep";
import { JOB_LEASE_SECONDS, JOBS, startJobs } from "@/lib/jobs";
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
        .poll(async () => (await boss.getJobById(JOBS.creditsSweep, id!, { includeArchive: true }))?.state, {
          timeout: 20_000,
          interval: 250,
        })
        .toBe("completed");
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  });

  it("a sweep left active by a worker killed mid-run frees the queue within the lease, not pg-boss's 15 minutes (verify scenario 10)", async () => {
    const boss = await startJobs({ schedule: false });
    try {
      // As a database from before the lease would hold the queue: pg-boss's defaults; starting again sets it.
      await boss.updateQueue(JOBS.creditsSweep, { name: JOBS.creditsSweep, policy: "singleton", expireInSeconds: 15 * 60 });
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
    const again = await startJobs({ schedule: false });
    try {
      expect((await again.getQueue(JOBS.creditsSweep))?.expireInSeconds).toBe(JOB_LEASE_SECONDS);
      expect(JOB_LEASE_SECONDS).toBeLessThanOrEqual(120);
      // A job sent now carries the lease (what pg-boss expires it by when its worker is gone).
      const id = await again.send(JOBS.creditsSweep, {});
      const rows = await db.$queryRaw<
        { seconds: number }[]
      >`SELECT extract(epoch FROM expire_in)::int AS seconds FROM pgboss.job WHERE id = ${id}::uuid`;
      expect(rows[0]?.seconds).toBe(JOB_LEASE_SECONDS);
    } finally {
      await again.stop({ graceful: false, wait: true });
    }
  });
});
