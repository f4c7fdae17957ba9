import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { testClock } from "@/lib/clock";
import { commitReservation, debit, getBalance, releaseReservation, reserve, type ChargeResult } from "@/lib/credits";
import { expectInvariants, newAccount, workspaceWith } from "./helpers";

afterEach(() => {
  testClock.reset();
});

function heldId(r: ChargeResult): string {
  if (r.outcome !== "held") throw new Error(`expected a hold, got ${r.outcome}`);
  return r.eventId;
}

describe("reservations", () => {
  it("hold the action's reserve price; held credits are not spendable", async () => {
    const { workspaceId } = await workspaceWith(20, "hold");
    const r = await reserve({ workspaceId, actionKey: "stems.separate" });
    expect(r).toMatchObject({ outcome: "held", credits: 15, remaining: 5 });
    expect((await getBalance(workspaceId)).held).toBe(15);
    expect(await debit({ workspaceId, actionKey: "campaign.plan" })).toMatchObject({ outcome: "denied", remaining: 5 });
    await expectInvariants(workspaceId);
  });

  it("commit below the hold charges the actual amount and releases the rest", async () => {
    const { workspaceId } = await workspaceWith(20, "commit-below");
    const id = heldId(await reserve({ workspaceId, actionKey: "stems.separate" }));
    const c = await commitReservation({ workspaceId, reservationId: id, actual: 11 });
    expect(c).toMatchObject({ credits: 11, short: false, remaining: 9 });
    const balance = await getBalance(workspaceId);
    expect(balance).toMatchObject({ held: 0, remaining: 9, used: 11 });
    expect(await commitReservation({ workspaceId, reservationId: id, actual: 11 })).toMatchObject({ replayed: true, credits: 11 });
    await expect(commitReservation({ workspaceId, reservationId: id, actual: 12 })).rejects.toMatchObject({ code: "conflict" });
    await expectInvariants(workspaceId);
  });

  it("commit above the hold charges the difference when the balance allows", async () => {
    const { workspaceId } = await workspaceWith(20, "commit-above");
    const id = heldId(await reserve({ workspaceId, actionKey: "aria.chat", estimate: 10 }));
    expect(await commitReservation({ workspaceId, reservationId: id, actual: 18 })).toMatchObject({
      credits: 18,
      short: false,
      remaining: 2,
    });
    await expectInvariants(workspaceId);
  });

  it("commit above what the balance allows charges the hold and flags the event short, never going negative", async () => {
    const { workspaceId } = await workspaceWith(20, "commit-short");
    const id = heldId(await reserve({ workspaceId, actionKey: "stems.separate" }));
    await debit({ workspaceId, actionKey: "image.generate" }); // the other 5
    const c = await commitReservation({ workspaceId, reservationId: id, actual: 40 });
    expect(c).toMatchObject({ credits: 15, actual: 40, short: true, remaining: 0 });
    expect((await db.usageEvent.findUniqueOrThrow({ where: { id } })).short).toBe(true);
    await expectInvariants(workspaceId);
  });

  it("release returns the whole hold; releasing twice is a no-op; a released hold cannot be committed", async () => {
    const { workspaceId } = await newAccount("release");
    const id = heldId(await reserve({ workspaceId, actionKey: "video.generate" }));
    expect(await releaseReservation({ workspaceId, reservationId: id })).toMatchObject({ released: 20, replayed: false });
    expect(await releaseReservation({ workspaceId, reservationId: id })).toMatchObject({ replayed: true });
    await expect(commitReservation({ workspaceId, reservationId: id, actual: 5 })).rejects.toMatchObject({ code: "conflict" });
    expect((await getBalance(workspaceId)).remaining).toBe(400);
    await expectInvariants(workspaceId);
  });

  it("holds expire after an hour (lazily on read); a later commit is charged like a new debit", async () => {
    const { workspaceId } = await newAccount("expire");
    const id = heldId(await reserve({ workspaceId, actionKey: "video.generate" }));
    testClock.advance(60 * 60 * 1000 + 1000);
    const balance = await getBalance(workspaceId);
    expect(balance).toMatchObject({ held: 0, remaining: 400 });
    expect((await db.usageEvent.findUniqueOrThrow({ where: { id } })).status).toBe("RELEASED");
    expect(await commitReservation({ workspaceId, reservationId: id, actual: 18 })).toMatchObject({
      credits: 18,
      short: false,
      remaining: 382,
    });
    await expectInvariants(workspaceId);
  });

  it("refuses commits with bad amounts and unknown reservations", async () => {
    const { workspaceId } = await newAccount("commit-bad");
    const id = heldId(await reserve({ workspaceId, actionKey: "aria.chat" }));
    await expect(commitReservation({ workspaceId, reservationId: id, actual: -1 })).rejects.toMatchObject({ code: "invalid_request" });
    await expect(commitReservation({ workspaceId, reservationId: id, actual: 0.5 })).rejects.toMatchObject({ code: "invalid_request" });
    await expect(commitReservation({ workspaceId, reservationId: "nope", actual: 1 })).rejects.toMatchObject({ code: "not_found" });
    const other = await newAccount("other");
    await expect(commitReservation({ workspaceId: other.workspaceId, reservationId: id, actual: 1 })).rejects.toMatchObject({
      code: "not_found",
    });
  });
});
