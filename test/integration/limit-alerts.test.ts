import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { testClock, now } from "@/lib/clock";
import { addCredits, getBalance } from "@/lib/credits";
import { deleteBudget, setBudget } from "@/lib/budgets/manage";
import { updateAlertSettings } from "@/lib/alerts/settings";
import { detectUsageAlerts, recentUsageAlerts, sweepUsageAlerts, withUsageAlerts } from "@/lib/alerts/usage-alerts";
import { chargeByKey } from "@/lib/metering/hot-path";
import { keyFor } from "./api-support";
import { workspaceWith } from "./helpers";

// Alerts that resolve (docs/decisions/020-limit-alerts.md): thresholds on every limit — the allowance and
// each budget — firing until they no longer hold, each edge announced once by webhook and mail.

afterEach(() => {
  testClock.reset();
});

const HOOK = "https://hooks.example.com/creditbook"; // only queued here: delivery is usage-alerts.test.ts's

/** A workspace with 10,000 spendable credits, thresholds 80 and 100 %, an alert URL and a key. */
async function setUp(tag: string) {
  const account = await workspaceWith(10_000, tag);
  await updateAlertSettings(account.workspaceId, { thresholds: ["80", "100"], none: false, webhookUrl: HOOK });
  const { key, client } = await keyFor(account.workspaceId, { hourlyCap: 1_000 });
  let n = 0;
  const chat = async (times: number) => {
    for (let i = 0; i < times; i++) {
      const { result } = await chargeByKey({ key, action: "aria.chat", hold: false, idempotencyKey: `${tag}-${n++}` });
      expect(result.outcome).toBe("charged");
    }
  };
  return { ...account, client, chat };
}

const deliveries = (workspaceId: string) =>
  db.webhookDelivery.findMany({ where: { workspaceId, type: { in: ["limit_reached", "limit_resolved"] } }, orderBy: { createdAt: "asc" } });
const mails = (email: string, kind: string) => db.mailMessage.findMany({ where: { to: email, kind }, orderBy: { createdAt: "asc" } });

describe("alerts on budgets", () => {
  it("fire once per crossing, resolve when the budget is raised, fire anew on the next crossing, resolve at the next day", async () => {
    const { workspaceId, email, client, chat } = await setUp("limit-key");
    const budget = await setBudget(workspaceId, { scope: "api_key", api_key_id: client.id, period: "day", limit: 10 });
    const subject = `budget:${budget.id}`;

    await chat(8); // 8 of 10: 80 %
    const first = await Promise.all(Array.from({ length: 10 }, () => detectUsageAlerts(workspaceId))); // racing evaluators
    expect(first.flatMap((e) => e.reached).map((a) => [a.kind, a.budgetId, a.threshold, a.used, a.limit])).toEqual([
      ["budget", budget.id, 80, 8, 10],
    ]);
    expect((await detectUsageAlerts(workspaceId)).reached).toEqual([]); // still firing: nothing new
    await chat(2); // 10 of 10
    expect((await detectUsageAlerts(workspaceId)).reached.map((a) => a.threshold)).toEqual([100]);

    const reachedMails = await mails(email, "limit_reached");
    expect(reachedMails.map((m) => m.subject)).toEqual([
      expect.stringMatching(/: 80% of the daily budget of API key “test” used$/),
      expect.stringMatching(/: 100% of the daily budget of API key “test” used$/),
    ]);
    expect(reachedMails[1]!.text).toContain("(10 of 10 credits)");
    expect(reachedMails[1]!.text).toContain("Calls that would pass it are refused (402 budget_exceeded)");

    // Raised to 40: 10 of 40 holds neither threshold — both resolve at once (setBudget evaluates).
    await setBudget(workspaceId, { scope: "api_key", api_key_id: client.id, period: "day", limit: 40 });
    const stored = await db.usageAlert.findMany({ where: { workspaceId, subject }, orderBy: { threshold: "asc" } });
    expect(stored.map((a) => [a.threshold, a.resolvedReason])).toEqual([
      [80, "limit_changed"],
      [100, "limit_changed"],
    ]);
    const resolvedMails = await mails(email, "limit_resolved");
    expect(resolvedMails).toHaveLength(1); // one mail per limit and edge: the highest threshold stands for both
    expect(resolvedMails[0]!.text).toContain("“100% of the daily budget of API key “test”” for");
    expect(resolvedMails[0]!.text).toContain("has resolved: the limit changed.");

    await chat(22); // 32 of 40: 80 % crossed again — a new alert
    const again = await detectUsageAlerts(workspaceId);
    expect(again.reached.map((a) => [a.threshold, a.used, a.limit])).toEqual([[80, 32, 40]]);
    expect(again.reached[0]!.id).not.toBe(stored[0]!.id);

    // The next day (00:00 UTC) nobody spends: the sweep re-checks firing alerts whose period ended.
    const today = now();
    testClock.set(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1, 0, 0, 30)));
    const swept = await sweepUsageAlerts({ workspaceIds: [workspaceId] });
    expect(swept.resolved).toBe(1);
    expect((await db.usageAlert.findUniqueOrThrow({ where: { id: again.reached[0]!.id } })).resolvedReason).toBe("new_period");

    // Every edge went out as a signed webhook once: 3 reached, 3 resolved.
    const hooks = await deliveries(workspaceId);
    expect(hooks.map((d) => [d.type, (d.payload as { threshold: number }).threshold])).toEqual([
      ["limit_reached", 80],
      ["limit_reached", 100],
      ["limit_resolved", 80],
      ["limit_resolved", 100],
      ["limit_reached", 80],
      ["limit_resolved", 80],
    ]);
    expect(hooks[5]!.payload).toMatchObject({
      alert_id: again.reached[0]!.id,
      workspace_id: workspaceId,
      state: "resolved",
      limit: { kind: "budget", budget_id: budget.id, credits: 40 },
      threshold: 80,
      used: 32,
      reason: "new_period",
    });
    expect(new Set(hooks.map((d) => `${d.eventId} ${d.type}`)).size).toBe(hooks.length);

    // The history tells it all, newest first, with the budget in words.
    const history = await recentUsageAlerts(workspaceId);
    expect(history[0]).toMatchObject({
      kind: "budget",
      threshold: 80,
      resolvedReason: "new_period",
      budgetName: "the daily budget of API key “test”",
    });
  });

  it("a removed budget's firing alert resolves; a soft budget alerts without refusing", async () => {
    const { workspaceId, email, chat } = await setUp("limit-soft");
    const soft = await setBudget(workspaceId, { scope: "workspace", period: "month", mode: "soft", limit: 5 });
    await chat(6); // past a soft budget: charged
    expect((await detectUsageAlerts(workspaceId)).reached.map((a) => a.threshold)).toEqual([80, 100]);
    const [mail] = (await mails(email, "limit_reached")).filter((m) => m.subject.includes("100%"));
    expect(mail!.text).toContain("It is a soft budget: nothing is refused");
    expect(mail!.subject).toContain("the workspace’s monthly budget");

    expect(await deleteBudget(workspaceId, soft.id)).toBe(true);
    const stored = await db.usageAlert.findMany({ where: { workspaceId, subject: `budget:${soft.id}` } });
    expect(stored.map((a) => a.resolvedReason)).toEqual(["budget_removed", "budget_removed"]);
    expect((await mails(email, "limit_resolved"))[0]!.text).toContain("has resolved: the budget was removed.");
  });

  it("choosing no thresholds resolves what fires, without a mail", async () => {
    const { workspaceId, email, client, chat } = await setUp("limit-none");
    await setBudget(workspaceId, { scope: "api_key", api_key_id: client.id, period: "week", limit: 4 });
    await chat(4);
    expect((await detectUsageAlerts(workspaceId)).reached).toHaveLength(2);
    await updateAlertSettings(workspaceId, { thresholds: [], none: true, webhookUrl: HOOK });
    expect(await db.usageAlert.count({ where: { workspaceId, resolvedAt: null } })).toBe(0);
    expect(await mails(email, "limit_resolved")).toEqual([]);
    expect((await deliveries(workspaceId)).filter((d) => d.type === "limit_resolved")).toHaveLength(2);
  });
});

describe("alerts on the allowance resolve", () => {
  it("running out fires 100 %; a top-up resolves it (credits_added) with a webhook and a mail", async () => {
    const { workspaceId, email } = await workspaceWith(60, "limit-topup");
    await updateAlertSettings(workspaceId, { thresholds: ["100"], none: false, webhookUrl: HOOK });
    const { client, chat } = await (async () => {
      const { key, client } = await keyFor(workspaceId, { hourlyCap: 1_000 });
      return {
        client,
        chat: async (times: number) => {
          for (let i = 0; i < times; i++) await chargeByKey({ key, action: "aria.chat", hold: false, idempotencyKey: `topup-${i}` });
        },
      };
    })();
    expect(client.id).toBeTruthy();
    await chat(60);
    const out = await withUsageAlerts(await getBalance(workspaceId));
    expect(out.alerts.map((a) => [a.threshold, a.outOfCredits])).toEqual([[100, true]]);

    await addCredits({
      workspaceId,
      type: "PURCHASED",
      credits: 500,
      expiresAt: null,
      source: `test:topup:${workspaceId}`,
      reason: "pack",
    });
    const back = await withUsageAlerts(await getBalance(workspaceId));
    expect(back.alerts).toEqual([]);
    const [alert] = await db.usageAlert.findMany({ where: { workspaceId } });
    expect(alert).toMatchObject({ subject: "allowance", threshold: 100, resolvedReason: "credits_added" });
    expect((await deliveries(workspaceId)).map((d) => d.type)).toEqual(["limit_reached", "limit_resolved"]);
    const [mail] = await mails(email, "limit_resolved");
    expect(mail!.text).toContain("“100% of your Free allowance”");
    expect(mail!.text).toContain("has resolved: credits were added.");
  });
});
