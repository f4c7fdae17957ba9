// Scenario 3 — Stripe webhooks: the same story (two packs bought, a Starter subscription upgraded to
// Pro and set to cancel at the period end, the first pack refunded) happens in Stripe (the local
// emulator) for two workspaces. Workspace A gets its events once, in order; workspace B gets each
// event three times in a shuffled order, some deliveries failing first (a bad signature → 400, a
// truncated body → 400, an attempt aborted mid-flight). Both must end with the same plan, subscription
// state and grants. Then tampered deliveries (a body changed after signing, a wrong secret) → 400 and
// no change at all.
import type Stripe from "stripe";
import type { Db } from "../../lib/db.ts";
import { mulberry32 } from "../../lib/random.ts";
import { ledgerSnapshot, makeWorkspaces, Problems, readBody, Rng, sameSnapshot, type Outcome, type Target } from "./support.ts";

export type WebhookOptions = { seed: number; emulatorBase: string; secretKey: string; webhookSecret: string };

export async function runWebhooks(target: Target, db: Db, o: WebhookOptions): Promise<Outcome> {
  const { stripe } = await import("../../lib/billing/stripe/client.ts");
  const { createPackCheckout } = await import("../../lib/billing/stripe/checkout.ts");
  const { createPlanCheckout } = await import("../../lib/billing/stripe/subscriptions.ts");
  const { planPrice } = await import("../../lib/billing/stripe/prices.ts");
  const problems = new Problems();
  const rng = new Rng(mulberry32(o.seed ^ 0x5eb0));
  const control = async <T>(path: string, body: object): Promise<T> => {
    const res = await fetch(`${o.emulatorBase}/_emulator${path}`, { method: "POST", headers: { authorization: `Bearer ${o.secretKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`emulator ${path} → ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };

  /** The story, in Stripe; returns the workspace's events oldest first. */
  async function story(tag: string): Promise<{ workspaceId: string; events: Stripe.Event[] }> {
    const [ws] = await makeWorkspaces(db, 1, { prefix: `verify-webhooks-${tag}` });
    const workspaceId = ws!.id;
    const email = `verify-${tag}-${o.seed}@example.test`;
    // No trial: the subscription is active at once (a trial is a separate story).
    await db.workspace.update({ where: { id: workspaceId }, data: { trialUsedAt: new Date("2020-01-01") } });
    const packs: string[] = [];
    for (const pack_id of ["starter_1000", "growth_5000"]) {
      const session = await createPackCheckout({ workspaceId, email, request: { pack_id } });
      await control(`/checkout/sessions/${session.id}/pay`, { outcome: "succeeded" });
      packs.push(session.id);
    }
    const plan = await createPlanCheckout({ workspaceId, email, planId: "starter", interval: "month" });
    const paid = await control<{ subscription: string }>(`/checkout/sessions/${plan.id}/pay`, { outcome: "succeeded" });
    const subscription = await stripe().subscriptions.retrieve(paid.subscription);
    const pro = await planPrice(await db.plan.findUniqueOrThrow({ where: { id: "pro" } }), "month");
    await stripe().subscriptions.update(subscription.id, { items: [{ id: subscription.items.data[0]!.id, price: pro.id }], proration_behavior: "always_invoice" });
    await stripe().subscriptions.update(subscription.id, { cancel_at_period_end: true });
    const first = await stripe().checkout.sessions.retrieve(packs[0]!);
    await stripe().refunds.create({ payment_intent: String(first.payment_intent) });
    const customer = String(subscription.customer);
    const all = (await stripe().events.list({ limit: 100 })).data;
    const mine = all.filter((e) => {
      const object = e.data.object as { id?: string; customer?: string | null };
      return object.customer === customer || object.id === customer || object.id === subscription.id;
    });
    return { workspaceId, events: mine.reverse() };
  }

  const sign = (payload: string, secret = o.webhookSecret) => stripe().webhooks.generateTestHeaderString({ payload, secret });
  const post = (payload: string, signature: string, signal?: AbortSignal) =>
    target.fetch("/api/stripe/webhook", { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body: payload, signal });

  let deliveries = 0;
  let failedFirst = 0;
  const expect = async (res: Response, status: number, what: string) => {
    deliveries++;
    if (res.status !== status) problems.add(`${what} → ${res.status} (expected ${status}): ${JSON.stringify(await readBody(res)).slice(0, 200)}`);
  };

  const a = await story("a");
  const b = await story("b");
  if (a.events.length !== b.events.length || a.events.length < 6) problems.add(`the two stories made ${a.events.length} and ${b.events.length} events`);
  const types = [...new Set(a.events.map((e) => e.type))];

  // A: once each, in order.
  for (const e of a.events) {
    const payload = JSON.stringify(e);
    await expect(await post(payload, sign(payload)), 200, `in-order ${e.type}`);
  }
  // B: each three times, shuffled; a third of the deliveries fail first in one of three ways.
  const queue = rng.shuffle(b.events.flatMap((e) => [e, e, e]));
  for (const e of queue) {
    const payload = JSON.stringify(e);
    if (rng.chance(1 / 3)) {
      failedFirst++;
      const how = rng.int(0, 2);
      if (how === 0) await expect(await post(payload, sign(payload, "whsec_not_the_secret")), 400, `bad signature ${e.type}`);
      else if (how === 1) await expect(await post(payload.slice(0, Math.floor(payload.length / 2)), sign(payload)), 400, `truncated ${e.type}`);
      else {
        // The connection drops before the answer: whether it was processed is unknown to the sender.
        const abort = new AbortController();
        const attempt = post(payload, sign(payload), abort.signal).then((r) => r.text()).catch(() => null);
        abort.abort();
        await attempt;
        deliveries++;
      }
    }
    await expect(await post(payload, sign(payload)), 200, `shuffled ${e.type}`);
  }

  const [stateA, stateB] = [await outcome(db, a.workspaceId), await outcome(db, b.workspaceId)];
  if (JSON.stringify(stateA) !== JSON.stringify(stateB)) problems.add(`in order ${JSON.stringify(stateA)} ≠ shuffled ${JSON.stringify(stateB)}`);
  const { checkInvariants } = await import("../../lib/credits/index.ts");
  const report = await checkInvariants(db, [a.workspaceId, b.workspaceId]);
  for (const v of report.violations) problems.add(v);

  // Tampered: a pack purchase for A with its amount changed after signing, and one signed with another secret.
  const before = await ledgerSnapshot(db, [a.workspaceId]);
  const beforeState = JSON.stringify(await outcome(db, a.workspaceId));
  const purchase = a.events.find((e) => e.type === "checkout.session.completed")!;
  const forged = { ...purchase, id: `evt_forged_${o.seed}`, data: { object: { ...(purchase.data.object as object), amount_total: 1 } } };
  const signedOriginal = sign(JSON.stringify(purchase));
  let tampered = 0;
  for (const [payload, signature] of [
    [JSON.stringify(forged), signedOriginal],
    [JSON.stringify(forged), sign(JSON.stringify(forged), "whsec_attacker")],
    [JSON.stringify(forged), "t=1,v1=deadbeef"],
  ] as const) {
    tampered++;
    await expect(await post(payload, signature), 400, "tampered delivery");
  }
  const after = await ledgerSnapshot(db, [a.workspaceId]);
  const recorded = await db.stripeEvent.count({ where: { id: forged.id } });
  if (!sameSnapshot(before, after) || JSON.stringify(await outcome(db, a.workspaceId)) !== beforeState || recorded !== 0) problems.add("a tampered delivery changed something");

  return {
    did: `${a.events.length} events of ${types.length} types (2 pack purchases, Starter → Pro → cancel at period end, a refund) once in order → A; 3× shuffled, ${failedFirst} failing first → B; ${tampered} tampered`,
    figures: `deliveries ${deliveries}; A = B: ${JSON.stringify(stateA) === JSON.stringify(stateB) ? "yes" : "NO"} (${stateA.plan}, ${stateA.grants}); tampered → 400, changes 0`,
    ok: problems.count === 0,
    problems: problems.list,
  };
}

/** What must not depend on the order: the plan, the subscription state and the grants (without ids). */
async function outcome(db: Db, workspaceId: string) {
  const w = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { planId: true, subscriptionStatus: true, pendingPlanId: true } });
  const grants = await db.creditGrant.findMany({ where: { workspaceId }, select: { type: true, amount: true, remaining: true } });
  const list = grants.map((g) => `${g.type} ${g.remaining}/${g.amount}`).sort();
  return { plan: `${w.planId} ${w.subscriptionStatus ?? "none"} → ${w.pendingPlanId ?? "-"}`, grants: list.join(" + ") };
}
