import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { savePack, updatePlan } from "@/lib/admin/catalog";
import { activePacks } from "@/lib/pricing/catalog";
import { listPlans } from "@/lib/pricing/plans";
import { newAccount } from "./helpers";

// Plans and packs are shared by every test file running in parallel: these tests edit only their own.
async function operator() {
  const a = await newAccount("catalog-operator");
  await db.user.update({ where: { id: a.userId }, data: { isAdmin: true } });
  return a.userId;
}

async function fieldsOf(promise: Promise<unknown>): Promise<Record<string, string>> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return ((err as AppError).options.details?.fields ?? {}) as Record<string, string>;
}

const plan = {
  name: "Test plan",
  monthlyCredits: "2000",
  priceMonthly: "$19.99",
  priceYearly: "199.9",
  trialDays: "14",
  active: true,
  reason: "test",
};
const pack = (id: string) => ({ id, name: "Test pack", credits: "2500", price: "25", validityDays: "", active: true, reason: "test" });

describe("plans and packs from the operator console", () => {
  it("saves a plan's terms in cents without floating point, audits before → after, and hides it when inactive", async () => {
    const admin = await operator();
    const id = `plan_${randomUUID().slice(0, 8)}`;
    await db.plan.create({
      data: { id, name: "Test plan", monthlyCredits: 1000, priceMonthlyCents: 999, priceYearlyCents: 9990, sortOrder: 99 },
    });
    const saved = await updatePlan(id, plan, admin);
    expect(saved).toMatchObject({ monthlyCredits: 2000, priceMonthlyCents: 1999, priceYearlyCents: 19990, trialDays: 14, active: true });
    expect((await listPlans()).some((p) => p.id === id)).toBe(true);

    await updatePlan(id, { ...plan, active: false, reason: "retired" }, admin);
    expect((await listPlans()).some((p) => p.id === id)).toBe(false);
    expect(await db.plan.count({ where: { id } })).toBe(1); // deactivated, never deleted

    const audits = await db.auditLog.findMany({
      where: { targetType: "plan", targetId: id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    expect(audits.map((a) => [a.action, a.reason])).toEqual([
      ["plan.update", "test"],
      ["plan.update", "retired"],
    ]);
    expect(audits[0]!.data).toMatchObject({
      before: { priceMonthlyCents: 999, monthlyCredits: 1000 },
      after: { priceMonthlyCents: 1999, monthlyCredits: 2000 },
    });
  });

  it("refuses bad plan input field by field, and never deactivates Free", async () => {
    const admin = await operator();
    const id = `plan_${randomUUID().slice(0, 8)}`;
    await db.plan.create({
      data: { id, name: "Untouched", monthlyCredits: 1000, priceMonthlyCents: 999, priceYearlyCents: 9990, sortOrder: 99 },
    });
    expect(await fieldsOf(updatePlan(id, { ...plan, priceMonthly: "9.999" }, admin))).toHaveProperty("priceMonthly");
    expect(await fieldsOf(updatePlan(id, { ...plan, priceYearly: "-1" }, admin))).toHaveProperty("priceYearly");
    expect(await fieldsOf(updatePlan(id, { ...plan, monthlyCredits: "1.5" }, admin))).toHaveProperty("monthlyCredits");
    expect(await fieldsOf(updatePlan(id, { ...plan, trialDays: "400" }, admin))).toHaveProperty("trialDays");
    expect(await fieldsOf(updatePlan(id, { ...plan, reason: " " }, admin))).toHaveProperty("reason");
    expect(
      await fieldsOf(
        updatePlan("free", { ...plan, name: "Free", monthlyCredits: "100", priceMonthly: "0", priceYearly: "0", active: false }, admin),
      ),
    ).toHaveProperty("active");
    expect(await db.plan.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: "Untouched", priceMonthlyCents: 999 });
    expect((await db.plan.findUniqueOrThrow({ where: { id: "free" } })).active).toBe(true);
  });

  it("creates a pack once (ids are permanent), edits it, and stops selling it when inactive", async () => {
    const admin = await operator();
    const id = `test_${randomUUID().slice(0, 8)}`;
    const created = await savePack(pack(id), admin, { create: true });
    expect(created).toMatchObject({ credits: 2500, priceCents: 2500, validityDays: null, active: true });
    expect((await activePacks()).some((p) => p.id === id)).toBe(true);
    expect(await fieldsOf(savePack(pack(id), admin, { create: true }))).toHaveProperty("id");

    await savePack({ ...pack(id), price: "24.50", validityDays: "365", active: false, reason: "sunset" }, admin, { create: false });
    expect(await db.creditPack.findUniqueOrThrow({ where: { id } })).toMatchObject({ priceCents: 2450, validityDays: 365, active: false });
    expect((await activePacks()).some((p) => p.id === id)).toBe(false);
    expect((await db.auditLog.findMany({ where: { targetType: "pack", targetId: id } })).map((a) => a.action).sort()).toEqual([
      "pack.create",
      "pack.update",
    ]);

    expect(await fieldsOf(savePack({ ...pack("Bad Id!"), reason: "x" }, admin, { create: true }))).toHaveProperty("id");
    expect(await fieldsOf(savePack({ ...pack(`x_${id}`), price: "0.10" }, admin, { create: true }))).toHaveProperty("price");
    expect(await fieldsOf(savePack({ ...pack(`x_${id}`), credits: "0" }, admin, { create: true }))).toHaveProperty("credits");
    expect(await db.creditPack.count({ where: { id: `x_${id}` } })).toBe(0);
  });
});

describe("entitlements as operators type them", () => {
  it("reads key = number | unlimited lines and names the bad line", async () => {
    const { parseEntitlementLines, entitlementLines } = await import("@/lib/admin/catalog");
    expect(parseEntitlementLines("roster.artists = 5\n\n  exports.monthly=unlimited ")).toEqual({
      "roster.artists": 5,
      "exports.monthly": null,
    });
    expect(entitlementLines({ "roster.artists": 5, "exports.monthly": null })).toBe("roster.artists = 5\nexports.monthly = unlimited");
    for (const bad of ["roster.artists", "roster.artists = -1", "Roster = 5", "x = 1.5", "x = lots"]) {
      const err = (() => {
        try {
          parseEntitlementLines(`ok = 1\n${bad}`);
          return null;
        } catch (e) {
          return e as AppError;
        }
      })();
      expect(err?.message, bad).toContain("Line 2");
    }
  });
});

describe("revenue on the operator overview", () => {
  it("adds paid pack checkouts, paid invoices and pack payments, and subtracts each refunded charge once", async () => {
    const { revenueSince } = await import("@/lib/admin/revenue");
    // Events far in the future: no other test file's events fall in this range.
    const at = new Date(Date.UTC(2090, 0, 1 + Math.floor(Math.random() * 300)));
    const event = (type: string, object: object, processed = true) => ({
      id: `evt_${randomUUID()}`,
      type,
      payload: { id: "x", type, data: { object } },
      receivedAt: at,
      processedAt: processed ? at : null,
    });
    await db.stripeEvent.createMany({
      data: [
        event("checkout.session.completed", { mode: "payment", payment_status: "paid", amount_total: 1000 }),
        event("checkout.session.completed", { mode: "payment", payment_status: "unpaid", amount_total: 5000 }), // bank transfer, not yet paid
        event("checkout.session.async_payment_succeeded", { mode: "payment", payment_status: "paid", amount_total: 5000 }),
        event("checkout.session.completed", { mode: "subscription", payment_status: "paid", amount_total: 2900 }), // counted by its invoice
        event("invoice.paid", { amount_paid: 2900 }),
        event("payment_intent.succeeded", { amount_received: 1000, metadata: { pack_id: "starter_1000" }, invoice: null }),
        event("charge.refunded", { id: "ch_1", amount_refunded: 400 }),
        event("charge.refunded", { id: "ch_1", amount_refunded: 1000 }), // the running total of the same charge
        event("invoice.paid", { amount_paid: 9900 }, false), // received, not processed: not counted
      ],
    });
    expect(await revenueSince(at)).toEqual({ packsCents: 7000, plansCents: 2900, refundsCents: 1000 });
  });
});
