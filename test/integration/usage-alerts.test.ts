import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { now, testClock } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { addCredits, changePlan, debit, getBalance } from "@/lib/credits";
import { thresholdDue } from "@/lib/alerts/rules";
import { getAlertSettings, updateAlertSettings } from "@/lib/alerts/settings";
import { detectUsageAlerts, dismissUsageAlert, sweepUsageAlerts, withUsageAlerts } from "@/lib/alerts/usage-alerts";
import { deliverWebhooks } from "@/lib/jobs/webhooks";
import { SIGNATURE_HEADER, verifySignature, workspaceSigningSecret } from "@/lib/webhooks/signing";
import { newAccount, workspaceWith } from "./helpers";

// A real HTTP receiver standing in for the customer's alert endpoint. Deliveries are awaited by alert id:
// another test file's worker may deliver a row of ours, to this same receiver, at any moment.
type Received = { headers: http.IncomingHttpHeaders; body: string; alertId: string; type: string };
const received: Received[] = [];
const waiters = new Map<string, { count: number; resolve: () => void }[]>();
let failNext = 0;
let server: http.Server;
let url: string;

/** The requests that arrived for an alert, of one event type (each alert edge has its own deliveries). */
function deliveriesOf(alertId: string, type = "usage.threshold_crossed") {
  return received.filter((r) => r.alertId === alertId && r.type === type);
}
/** Resolves once `count` requests of `type` for the alert have arrived (event-driven, no polling). */
function arrival(alertId: string, count = 1, type = "usage.threshold_crossed"): Promise<void> {
  if (deliveriesOf(alertId, type).length >= count) return Promise.resolve();
  const key = `${alertId}#${type}`;
  return new Promise((resolve) => waiters.set(key, [...(waiters.get(key) ?? []), { count, resolve }]));
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const alertId = String(JSON.parse(body)?.data?.alert_id ?? "");
      const type = String(JSON.parse(body)?.type ?? "");
      received.push({ headers: req.headers, body, alertId, type });
      if (failNext > 0 && type === "usage.threshold_crossed") {
        // Fails the alert's usage.threshold_crossed request (its limit_reached one is another delivery).
        failNext--;
        res.writeHead(500).end("try again");
      } else res.writeHead(204).end();
      const n = deliveriesOf(alertId, type).length;
      for (const w of waiters.get(`${alertId}#${type}`) ?? []) if (n >= w.count) w.resolve();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
afterEach(() => {
  testClock.reset();
});

/** A new Free workspace (100 a month + 300 bonus) that has spent `credits` (video.generate: 20 each, sonic.analysis: 5). */
async function freeWorkspace(tag: string, credits: number, settings?: { thresholds?: number[]; none?: boolean; webhookUrl?: string }) {
  const account = await newAccount(tag);
  if (settings)
    await updateAlertSettings(account.workspaceId, {
      thresholds: settings.thresholds ?? [],
      none: settings.none ?? false,
      webhookUrl: settings.webhookUrl ?? "",
    });
  await spend(account.workspaceId, credits);
  return account;
}

async function spend(workspaceId: string, credits: number) {
  if (credits % 5 !== 0) throw new Error("spend multiples of 5");
  const videos = Math.floor(credits / 20);
  if (videos > 0) expect((await debit({ workspaceId, actionKey: "video.generate", quantity: videos })).outcome).toBe("charged");
  for (let left = credits - videos * 20; left > 0; left -= 5) {
    expect((await debit({ workspaceId, actionKey: "sonic.analysis" })).outcome).toBe("charged");
  }
}

const NOTHING = { recorded: [], pending: [], reached: [], resolved: [] };

function nextMonth(): Date {
  const at = now();
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1, 0, 0, 30));
}

describe("detecting usage alerts", () => {
  it("crossing 80% records exactly one alert, and one webhook, with 20 detectors racing", async () => {
    const { workspaceId } = await freeWorkspace("race", 80, { thresholds: [50, 80, 100], webhookUrl: url });
    // Both detectors at once: the jobs sweep's and the portal's balance read.
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? detectUsageAlerts(workspaceId)
          : getBalance(workspaceId)
              .then(withUsageAlerts)
              .then(() => ({ recorded: null })),
      ),
    );
    const alerts = await db.usageAlert.findMany({ where: { workspaceId }, orderBy: { threshold: "asc" } });
    expect(alerts.map((a) => [a.threshold, a.used, a.allowance, a.planId, a.outOfCredits])).toEqual([
      [50, 80, 100, "free", false],
      [80, 80, 100, "free", false],
    ]);
    // The sweep-style detectors that recorded something recorded each threshold at most once between them.
    const recordedByDetectors = results.flatMap((r) => r.recorded ?? []).map((a) => a.threshold);
    expect(new Set(recordedByDetectors).size).toBe(recordedByDetectors.length);
    // One delivery of each event per alert: limit_reached, and usage.threshold_crossed for older endpoints.
    const deliveries = await db.webhookDelivery.findMany({ where: { workspaceId } });
    expect(deliveries.map((d) => `${d.eventId} ${d.type}`).sort()).toEqual(
      alerts.flatMap((a) => [`${a.id} limit_reached`, `${a.id} usage.threshold_crossed`]).sort(),
    );
    expect(deliveries.every((d) => d.apiClientId === null)).toBe(true);
    // Detecting again changes nothing.
    expect((await detectUsageAlerts(workspaceId)).recorded).toEqual([]);
    expect(await db.usageAlert.count({ where: { workspaceId } })).toBe(2);
  });

  it("records nothing below a threshold; the portal read is the same detector", async () => {
    const { workspaceId } = await freeWorkspace("below", 75, { thresholds: [80, 100], webhookUrl: url });
    expect(await detectUsageAlerts(workspaceId)).toEqual(NOTHING);
    expect((await withUsageAlerts(await getBalance(workspaceId))).alerts).toEqual([]);
    expect(await db.usageAlert.count({ where: { workspaceId } })).toBe(0);
    expect(await db.webhookDelivery.count({ where: { workspaceId } })).toBe(0);

    await spend(workspaceId, 5); // exactly 80 of 100: due (≥, no rounding)
    const { alerts } = await withUsageAlerts(await getBalance(workspaceId));
    expect(alerts.map((a) => [a.threshold, a.used, a.allowance, a.planName])).toEqual([[80, 80, 100, "Free"]]);
  });

  it("alerts again in a new period, once per period", async () => {
    const { workspaceId } = await freeWorkspace("period", 100);
    const first = await detectUsageAlerts(workspaceId);
    expect(first.recorded.map((a) => a.threshold)).toEqual([80, 100]); // the default thresholds

    const next = nextMonth();
    testClock.set(next);
    const rolled = await detectUsageAlerts(workspaceId); // nothing used yet this period: last period's alerts resolve
    expect({ ...rolled, resolved: [] }).toEqual(NOTHING);
    expect(rolled.resolved.map((a) => [a.threshold, a.resolvedReason])).toEqual([
      [80, "new_period"],
      [100, "new_period"],
    ]);
    await spend(workspaceId, 80);
    const second = await detectUsageAlerts(workspaceId);
    expect(second.recorded.map((a) => a.threshold)).toEqual([80]);
    expect(second.recorded[0]!.periodStart).toBe(new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth(), 1)).toISOString());
    expect(second.pending.map((a) => a.id)).toEqual(second.recorded.map((a) => a.id)); // last period's are not shown
    expect(await db.usageAlert.count({ where: { workspaceId } })).toBe(3);
    expect((await detectUsageAlerts(workspaceId)).recorded).toEqual([]);
  });

  it("never alerts on an unlimited plan", async () => {
    const { workspaceId } = await newAccount("unlimited");
    await db.workspace.update({ where: { id: workspaceId }, data: { planId: "enterprise", alertThresholds: [50, 80, 100] } });
    await spend(workspaceId, 1_000);
    expect(await detectUsageAlerts(workspaceId)).toEqual(NOTHING);
    const balance = await withUsageAlerts(await getBalance(workspaceId));
    expect(balance.unlimited).toBe(true);
    expect(balance.alerts).toEqual([]);
    expect(await sweepUsageAlerts({ workspaceIds: [workspaceId] })).toEqual({ workspaces: 0, recorded: 0, resolved: 0 });
    expect(await db.usageAlert.count({ where: { workspaceId } })).toBe(0);
  });

  it("100% also covers running out of credits before the allowance is used", async () => {
    const { workspaceId } = await workspaceWith(60, "empty"); // 60 spendable credits in all
    await spend(workspaceId, 55);
    expect((await detectUsageAlerts(workspaceId)).recorded).toEqual([]); // 55 of 100, 5 left
    await spend(workspaceId, 5);
    const { recorded } = await detectUsageAlerts(workspaceId);
    expect(recorded.map((a) => [a.threshold, a.used, a.outOfCredits])).toEqual([[100, 60, true]]);
  });

  it("dismissing hides the alert (and the lower ones it stands for) for everyone in the workspace", async () => {
    const { workspaceId, userId } = await freeWorkspace("dismiss", 100);
    const { alerts } = await withUsageAlerts(await getBalance(workspaceId));
    expect(alerts.map((a) => a.threshold)).toEqual([80, 100]);
    const top = alerts[1]!;
    const other = await newAccount("intruder");
    await expect(dismissUsageAlert({ workspaceId: other.workspaceId, alertId: top.id, userId: other.userId })).rejects.toThrow(AppError);
    expect(await dismissUsageAlert({ workspaceId, alertId: top.id, userId })).toBe(true);
    expect((await withUsageAlerts(await getBalance(workspaceId))).alerts).toEqual([]);
    expect(await dismissUsageAlert({ workspaceId, alertId: top.id, userId })).toBe(false);
    const stored = await db.usageAlert.findMany({ where: { workspaceId } });
    expect(stored).toHaveLength(2);
    expect(stored.every((a) => a.dismissedAt !== null && a.dismissedById === userId)).toBe(true);
  });

  it("alerts follow the plan: an upgrade resolves the old allowance's alerts, the new one alerts afresh; a refill resolves running out", async () => {
    const { workspaceId } = await freeWorkspace("upgrade", 100, { thresholds: [80, 100] });
    const before = await withUsageAlerts(await getBalance(workspaceId));
    expect(before.alerts.map((a) => [a.threshold, a.allowance])).toEqual([
      [80, 100],
      [100, 100],
    ]);
    // Starter: 1,000 a month, 100 of it used this period (10 %) — neither alert holds any more.
    await changePlan({ workspaceId, planId: "starter" });
    const upgraded = await withUsageAlerts(await getBalance(workspaceId));
    expect(upgraded.allowance).toBe(1_000);
    expect(upgraded.alerts).toEqual([]);
    expect(await db.usageAlert.count({ where: { workspaceId } })).toBe(2); // resolved, not deleted
    // Crossing 80 % of the new allowance alerts again, against Starter's figures.
    await spend(workspaceId, 700);
    const crossed = await withUsageAlerts(await getBalance(workspaceId));
    expect(crossed.alerts.map((a) => [a.threshold, a.used, a.allowance, a.planName])).toEqual([[80, 800, 1_000, "Starter"]]);
  });

  it("out of credits is resolved by a refill", async () => {
    const { workspaceId } = await workspaceWith(60, "refill");
    await spend(workspaceId, 60);
    expect((await withUsageAlerts(await getBalance(workspaceId))).alerts.map((a) => a.outOfCredits)).toEqual([true]);
    await addCredits({
      workspaceId,
      type: "PURCHASED",
      credits: 1_000,
      expiresAt: null,
      source: `test:refill:${workspaceId}`,
      reason: "refill",
    });
    const refilled = await withUsageAlerts(await getBalance(workspaceId));
    expect(refilled.remaining).toBe(1_000);
    expect(refilled.alerts).toEqual([]);
  });

  it("reports the highest threshold dismissed this period (the prompt it stood for stays dismissed)", async () => {
    const { workspaceId, userId } = await freeWorkspace("dismissed-threshold", 85, { thresholds: [50, 80] });
    const { alerts, dismissedThreshold } = await withUsageAlerts(await getBalance(workspaceId));
    expect(dismissedThreshold).toBeNull();
    await dismissUsageAlert({ workspaceId, alertId: alerts.find((a) => a.threshold === 80)!.id, userId });
    expect((await withUsageAlerts(await getBalance(workspaceId))).dismissedThreshold).toBe(80);
  });

  it("the scheduled sweep finds workspaces by their recent ledger entries", async () => {
    const { workspaceId } = await freeWorkspace("sweep", 80);
    const first = await sweepUsageAlerts();
    expect(first.workspaces).toBeGreaterThanOrEqual(1);
    const alerts = await db.usageAlert.findMany({ where: { workspaceId } });
    expect(alerts.map((a) => a.threshold)).toEqual([80]);
    // The next run reads the same entries again (late commits), finds the alert recorded, records nothing.
    await sweepUsageAlerts();
    expect(await db.usageAlert.count({ where: { workspaceId } })).toBe(1);
    // Thresholds chosen as none: usage past 100% records nothing.
    const quiet = await freeWorkspace("sweep-none", 120, { none: true });
    await sweepUsageAlerts({ workspaceIds: [quiet.workspaceId] });
    expect(await db.usageAlert.count({ where: { workspaceId: quiet.workspaceId } })).toBe(0);
  });
});

describe("the alert webhook", () => {
  it("is queued with the alert and delivered signed with the workspace's secret", async () => {
    const { workspaceId } = await freeWorkspace("hook", 80, { thresholds: [80], webhookUrl: url });
    const { recorded } = await detectUsageAlerts(workspaceId);
    const alert = recorded[0]!;
    const queued = await db.webhookDelivery.findUniqueOrThrow({
      where: { eventId_type: { eventId: alert.id, type: "usage.threshold_crossed" } },
    });
    expect(queued).toMatchObject({ workspaceId, apiClientId: null, deliveredAt: null, attempts: 0 });

    await deliverWebhooks();
    await arrival(alert.id);
    const [mine] = deliveriesOf(alert.id);
    const body = JSON.parse(mine!.body);
    expect(body).toMatchObject({
      id: queued.id,
      type: "usage.threshold_crossed",
      data: {
        alert_id: alert.id,
        workspace_id: workspaceId,
        period: { start: alert.periodStart, end: alert.periodEnd },
        threshold: 80,
        used: 80,
        allowance: 100,
        out_of_credits: false,
        plan: { id: "free", name: "Free" },
      },
    });
    const header = String(mine!.headers[SIGNATURE_HEADER.toLowerCase()]);
    expect(verifySignature(workspaceSigningSecret(workspaceId), header, mine!.body)).toBe(true);
    expect(verifySignature(workspaceSigningSecret(workspaceId), header, mine!.body.replace('"used":80', '"used":8'))).toBe(false);
    expect(verifySignature(workspaceSigningSecret("another-workspace"), header, mine!.body)).toBe(false);
    await expect.poll(async () => (await db.webhookDelivery.findUniqueOrThrow({ where: { id: queued.id } })).deliveredAt).not.toBeNull();
    // Delivered once: the next run sends nothing for it.
    await deliverWebhooks();
    expect(deliveriesOf(alert.id)).toHaveLength(1);
  });

  it("is retried with backoff after a failure", async () => {
    const { workspaceId } = await freeWorkspace("hook-retry", 100, { thresholds: [100], webhookUrl: url });
    const alert = (await detectUsageAlerts(workspaceId)).recorded[0]!;
    failNext = 1;
    await deliverWebhooks();
    await arrival(alert.id, 1);
    const failed = await db.webhookDelivery.findFirstOrThrow({ where: { eventId: alert.id, type: "usage.threshold_crossed" } });
    expect(failed).toMatchObject({ attempts: 1, deliveredAt: null, lastError: "HTTP 500" });
    expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 30_000);
    await deliverWebhooks({ at: new Date(failed.nextAttemptAt.getTime() + 1000) });
    await arrival(alert.id, 2);
    await expect
      .poll(
        async () =>
          (await db.webhookDelivery.findFirstOrThrow({ where: { eventId: alert.id, type: "usage.threshold_crossed" } })).deliveredAt,
      )
      .not.toBeNull();
    expect((await db.webhookDelivery.findFirstOrThrow({ where: { eventId: alert.id, type: "usage.threshold_crossed" } })).attempts).toBe(2);
  });

  it("is not queued without a URL, and a URL removed since is settled without a request", async () => {
    const { workspaceId } = await freeWorkspace("no-hook", 80, { thresholds: [80] });
    expect((await detectUsageAlerts(workspaceId)).recorded).toHaveLength(1);
    expect(await db.webhookDelivery.count({ where: { workspaceId } })).toBe(0);

    const gone = await freeWorkspace("hook-gone", 80, { thresholds: [80], webhookUrl: url });
    const alert = (await detectUsageAlerts(gone.workspaceId)).recorded[0]!;
    await updateAlertSettings(gone.workspaceId, { thresholds: [80], webhookUrl: "" });
    await deliverWebhooks();
    await expect
      .poll(
        async () =>
          (await db.webhookDelivery.findFirstOrThrow({ where: { eventId: alert.id, type: "usage.threshold_crossed" } })).lastError,
      )
      .toBe("no webhook URL");
    expect(deliveriesOf(alert.id)).toHaveLength(0);
  });
});

describe("alert settings", () => {
  it("default to 80 and 100 % without a webhook", async () => {
    const { workspaceId } = await newAccount("defaults");
    expect(await getAlertSettings(workspaceId, { owner: true })).toMatchObject({
      thresholds: [80, 100],
      webhookUrl: null,
      signingSecret: null,
    });
  });

  it("validate thresholds and the URL, and save them sorted", async () => {
    const { workspaceId } = await newAccount("validate");
    const fields = async (input: Parameters<typeof updateAlertSettings>[1]) => {
      try {
        await updateAlertSettings(workspaceId, input);
        return null;
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        expect((err as AppError).code).toBe("validation_failed");
        return Object.keys((err as AppError).options.details?.fields as Record<string, string>);
      }
    };
    expect(await fields({ thresholds: [70] })).toEqual(["thresholds.0"]);
    expect(await fields({ thresholds: ["abc"] })).toEqual(["thresholds.0"]);
    expect(await fields({ thresholds: [80, 80] })).toEqual(["thresholds"]);
    expect(await fields({ thresholds: [] })).toEqual(["thresholds"]); // neither a threshold nor "none"
    expect(await fields({ thresholds: [80], none: true })).toEqual(["thresholds"]);
    expect(await fields({ thresholds: [80], webhookUrl: "not a url" })).toEqual(["webhookUrl"]);
    expect(await fields({ thresholds: [80], webhookUrl: "http://hooks.example.com/x" })).toEqual(["webhookUrl"]); // http only for localhost
    expect(await fields({ thresholds: [80], webhookUrl: "ftp://localhost/x" })).toEqual(["webhookUrl"]);
    expect(await fields({ thresholds: [80], webhookUrl: `https://hooks.example.com/${"x".repeat(500)}` })).toEqual(["webhookUrl"]);
    // Nothing invalid was saved.
    expect(await getAlertSettings(workspaceId, { owner: true })).toMatchObject({ thresholds: [80, 100], webhookUrl: null });

    expect(await fields({ thresholds: ["100", "50"], webhookUrl: "  https://hooks.example.com/creditbook  " })).toBeNull();
    expect(await getAlertSettings(workspaceId, { owner: true })).toMatchObject({
      thresholds: [50, 100],
      webhookUrl: "https://hooks.example.com/creditbook",
      signingSecret: workspaceSigningSecret(workspaceId),
    });
    expect((await getAlertSettings(workspaceId, { owner: false })).signingSecret).toBeNull(); // members never see it
    expect(await fields({ thresholds: [], none: true, webhookUrl: "http://localhost:4000/hook" })).toBeNull(); // tests allow localhost
    expect(await getAlertSettings(workspaceId, { owner: true })).toMatchObject({
      thresholds: [],
      webhookUrl: "http://localhost:4000/hook",
    });
  });

  it("thresholdDue: integer percent of the allowance, none for unlimited plans or no usage", () => {
    expect(thresholdDue({ threshold: 80, used: 3_999, allowance: 5_000, remaining: 1 })).toBe(false);
    expect(thresholdDue({ threshold: 80, used: 4_000, allowance: 5_000, remaining: 1 })).toBe(true);
    expect(thresholdDue({ threshold: 100, used: 10, allowance: 100, remaining: 0 })).toBe(true);
    expect(thresholdDue({ threshold: 80, used: 10, allowance: 100, remaining: 0 })).toBe(false);
    expect(thresholdDue({ threshold: 100, used: 0, allowance: 100, remaining: 0 })).toBe(false);
    expect(thresholdDue({ threshold: 50, used: 1_000_000, allowance: null, remaining: 0 })).toBe(false);
  });
});
