// Scenario 3 — Stripe webhooks: the same story (two packs bought, a Starter subscription upgraded to
// Pro and set to cancel at the period end, the first pack refunded) happens in Stripe (the local
// emulator) for two workspaces. Workspace A gets its events once, in order; workspace B gets each
// event three times in a shuffled order, some deliveries failing first (a bad signature → 400, a
// truncated body → 400, an attempt aborted mid-flight). Both must end with the same plan, subscription
// state and grants. Workspace C gets its events mid-story: after each step, while the subscription is
// still changing in Stripe, the events so far are delivered (twice, shuffled, older ones again), then all
// once more; C must end as A did. Then tampered deliveries (a body changed after signing, a wrong
// secret) → 400, signed but malformed bodies → 4xx, and signed events of the right shape with a
// nonsense object → 200 or the documented 503 retry, all with no change at all.
import type Stripe from "stripe";
import type { Db } from "../../lib/db.ts";
import { mulberry32 } from "../../lib/random.ts";
import {
  emulatorControl,
  ledgerSnapshot,
  makeWorkspaces,
  Problems,
  readBody,
  Rng,
  sameSnapshot,
  type Outcome,
  type Target,
} from "./support.ts";

export type WebhookOptions = { seed: number; emulatorBase: string; secretKey: string; webhookSecret: string };

export async function runWebhooks(target: Target, db: Db, o: WebhookOptions): Promise<Outcome> {
  const { stripe } = await import("../../lib/billing/stripe/client.ts");
  const { createPackCheckout } = await import("../../lib/billing/stripe/checkout.ts");
  const { createPlanCheckout } = await import("../../lib/billing/stripe/subscriptions.ts");
  const { planPrice } = await import("../../lib/billing/stripe/prices.ts");
  const problems = new Problems();
  const rng = new Rng(mulberry32(o.seed ^ 0x5eb0));
  const control = <T>(path: string, body: object): Promise<T> => emulatorControl<T>(o.emulatorBase, o.secretKey, "POST", path, body);

  /** The events of one customer (or its subscription) among the emulator's newest, oldest first. */
  const eventsOf = async (customer: string, subscriptionId: string | null) => {
    const all = (await stripe().events.list({ limit: 100 })).data;
    return all
      .filter((e) => {
        const object = e.data.object as { id?: string; customer?: string | null };
        return object.customer === customer || object.id === customer || (subscriptionId !== null && object.id === subscriptionId);
      })
      .reverse();
  };

  /**
   * The story, in Stripe; returns the workspace's events oldest first. `between` runs after each step
   * that changes the customer's state in Stripe (with the customer once there is one), while the story
   * is still going on.
   */
  async function story(
    tag: string,
    between: (customer: string | null, subscriptionId: string | null) => Promise<void> = async () => {},
  ): Promise<{ workspaceId: string; events: Stripe.Event[] }> {
    const [ws] = await makeWorkspaces(db, 1, { prefix: `verify-webhooks-${tag}` });
    const workspaceId = ws!.id;
    const email = `verify-${tag}-${o.seed}@example.test`;
    // No trial: the subscription is active at once (a trial is a separate story).
    await db.workspace.update({ where: { id: workspaceId }, data: { trialUsedAt: new Date("2020-01-01") } });
    const packs: string[] = [];
    let customer: string | null = null;
    for (const pack_id of ["starter_1000", "growth_5000"]) {
      const session = await createPackCheckout({ workspaceId, email, request: { pack_id } });
      const paidPack = await control<{ customer?: string | null }>(`/checkout/sessions/${session.id}/pay`, { outcome: "succeeded" });
      customer =
        paidPack.customer ??
        (await db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { stripeCustomerId: true } })).stripeCustomerId;
      packs.push(session.id);
      await between(customer, null);
    }
    const plan = await createPlanCheckout({ workspaceId, email, planId: "starter", interval: "month" });
    const paid = await control<{ subscription: string }>(`/checkout/sessions/${plan.id}/pay`, { outcome: "succeeded" });
    const subscription = await stripe().subscriptions.retrieve(paid.subscription);
    customer = String(subscription.customer);
    await between(customer, subscription.id);
    const pro = await planPrice(await db.plan.findUniqueOrThrow({ where: { id: "pro" } }), "month");
    await stripe().subscriptions.update(subscription.id, {
      items: [{ id: subscription.items.data[0]!.id, price: pro.id }],
      proration_behavior: "always_invoice",
    });
    await between(customer, subscription.id);
    await stripe().subscriptions.update(subscription.id, { cancel_at_period_end: true });
    await between(customer, subscription.id);
    const first = await stripe().checkout.sessions.retrieve(packs[0]!);
    await stripe().refunds.create({ payment_intent: String(first.payment_intent) });
    return { workspaceId, events: await eventsOf(customer, subscription.id) };
  }

  const sign = (payload: string, secret = o.webhookSecret) => stripe().webhooks.generateTestHeaderString({ payload, secret });
  const post = (payload: string, signature: string, signal?: AbortSignal) =>
    target.fetch("/api/stripe/webhook", {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": signature },
      body: payload,
      signal,
    });

  let deliveries = 0;
  let failedFirst = 0;
  const expect = async (res: Response, status: number, what: string) => {
    deliveries++;
    if (res.status !== status)
      problems.add(`${what} → ${res.status} (expected ${status}): ${JSON.stringify(await readBody(res)).slice(0, 200)}`);
  };

  const a = await story("a");
  const b = await story("b");
  if (a.events.length !== b.events.length || a.events.length < 6)
    problems.add(`the two stories made ${a.events.length} and ${b.events.length} events`);
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
      else if (how === 1)
        await expect(await post(payload.slice(0, Math.floor(payload.length / 2)), sign(payload)), 400, `truncated ${e.type}`);
      else {
        // The connection drops before the answer: whether it was processed is unknown to the sender.
        const abort = new AbortController();
        const attempt = post(payload, sign(payload), abort.signal)
          .then((r) => r.text())
          .catch(() => null);
        abort.abort();
        await attempt;
        deliveries++;
      }
    }
    await expect(await post(payload, sign(payload)), 200, `shuffled ${e.type}`);
  }

  // C: mid-story. After each step in Stripe, the events so far are delivered (each twice, shuffled, with
  // older ones again) while the subscription is still changing in the emulator; then all of them once
  // more, shuffled, as Stripe's retries would.
  const seen = new Set<string>();
  let midStory = 0;
  const c = await story("c", async (customer, subscriptionId) => {
    if (!customer) return;
    const events = await eventsOf(customer, subscriptionId);
    const fresh = events.filter((e) => !seen.has(e.id));
    const again = rng.shuffle(events.filter((e) => seen.has(e.id))).slice(0, 2);
    for (const e of rng.shuffle([...fresh, ...fresh, ...again])) {
      const payload = JSON.stringify(e);
      midStory++;
      await expect(await post(payload, sign(payload)), 200, `mid-story ${e.type}`);
    }
    for (const e of fresh) seen.add(e.id);
  });
  for (const e of rng.shuffle(c.events)) {
    const payload = JSON.stringify(e);
    await expect(await post(payload, sign(payload)), 200, `after the story ${e.type}`);
  }

  const [stateA, stateB, stateC] = [await outcome(db, a.workspaceId), await outcome(db, b.workspaceId), await outcome(db, c.workspaceId)];
  if (JSON.stringify(stateA) !== JSON.stringify(stateB))
    problems.add(`in order ${JSON.stringify(stateA)} ≠ shuffled ${JSON.stringify(stateB)}`);
  if (JSON.stringify(stateA) !== JSON.stringify(stateC))
    problems.add(`in order ${JSON.stringify(stateA)} ≠ mid-story ${JSON.stringify(stateC)}`);
  const { checkInvariants } = await import("../../lib/credits/index.ts");
  const report = await checkInvariants(db, [a.workspaceId, b.workspaceId, c.workspaceId]);
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
  // Signed with the right secret but malformed: bodies that are not Stripe events (no object, the wrong
  // kinds of fields, not an object at all) → 400 and nothing recorded.
  const customerA = String((purchase.data.object as { customer?: string }).customer ?? "");
  const malformed: unknown[] = [
    { ...purchase, id: `evt_malformed_1_${o.seed}`, data: {} },
    { ...purchase, id: `evt_malformed_2_${o.seed}`, data: { object: null } },
    { ...purchase, id: `evt_malformed_3_${o.seed}`, type: "Checkout Session Completed" },
    { ...purchase, id: `evt_malformed_4_${o.seed}`, created: -1 },
    { ...purchase, id: `evt_malformed_5_${o.seed}`, object: "charge" },
    { id: `evt_malformed_6_${o.seed}` },
    [purchase],
  ];
  // Events of the right shape whose object is nonsense, naming A: handlers converge to Stripe's state (they
  // read the object back from Stripe), so they change nothing; Stripe does not know such an object, so the
  // answer is 200 (nothing to do) or the documented 503 (kept on the event row, retried), never a change.
  const nonsense: Stripe.Event[] = [
    {
      ...purchase,
      id: `evt_nonsense_1_${o.seed}`,
      data: {
        object: {
          id: "cs_nonsense",
          object: "checkout.session",
          customer: customerA,
          amount_total: "lots",
          metadata: { workspace_id: a.workspaceId, pack_id: 42 },
        },
      },
    } as unknown as Stripe.Event,
    {
      ...purchase,
      id: `evt_nonsense_2_${o.seed}`,
      type: "customer.subscription.updated",
      data: { object: { id: "sub_nonsense", object: "subscription", customer: customerA, status: "galactic", items: { data: [{}] } } },
    } as unknown as Stripe.Event,
    {
      ...purchase,
      id: `evt_nonsense_3_${o.seed}`,
      type: "invoice.paid",
      data: { object: { object: "invoice", customer: customerA, lines: "none" } },
    } as unknown as Stripe.Event,
  ];
  const nonsenseAnswers: number[] = [];
  for (const body of [...malformed, ...nonsense]) {
    const payload = JSON.stringify(body);
    const res = await post(payload, sign(payload));
    deliveries++;
    const isEvent = nonsense.includes(body as Stripe.Event);
    if (isEvent) nonsenseAnswers.push(res.status);
    const fine = isEvent ? res.status === 200 || res.status === 503 : res.status >= 400 && res.status < 500;
    if (!fine)
      problems.add(
        `signed ${isEvent ? "nonsense event" : "malformed body"} ${payload.slice(0, 80)} → ${res.status}: ${JSON.stringify(await readBody(res)).slice(0, 200)}`,
      );
  }
  const after = await ledgerSnapshot(db, [a.workspaceId]);
  const recorded = await db.stripeEvent.count({
    where: { id: { in: [forged.id, ...malformed.map((m) => (m as { id?: string }).id ?? "")] } },
  });
  const malformedSent = malformed.length;
  if (!sameSnapshot(before, after) || JSON.stringify(await outcome(db, a.workspaceId)) !== beforeState || recorded !== 0)
    problems.add(`a tampered or malformed delivery changed something (${recorded} recorded as events)`);

  return {
    did: `${a.events.length} events of ${types.length} types (2 pack purchases, Starter → Pro → cancel at period end, a refund) once in order → A; 3× shuffled, ${failedFirst} failing first → B; ${midStory} delivered mid-story (while Stripe's state still changed) then all again → C; ${tampered} tampered, ${malformedSent} signed malformed, ${nonsense.length} signed nonsense events`,
    figures: `deliveries ${deliveries}; A = B: ${JSON.stringify(stateA) === JSON.stringify(stateB) ? "yes" : "NO"}, A = C: ${JSON.stringify(stateA) === JSON.stringify(stateC) ? "yes" : "NO"} (${stateA.plan}, ${stateA.grants}); tampered and malformed → 4xx, nonsense events → ${nonsenseAnswers.join("/")}, changes ${problems.list.some((p) => p.startsWith("a tampered")) ? "SOME" : "0"}`,
    ok: problems.count === 0,
    problems: problems.list,
  };
}

/** What must not depend on the order: the plan, the subscription state and the grants (without ids). */
async function outcome(db: Db, workspaceId: string) {
  const w = await db.workspace.findUniqueOrThrow({
    where: { id: workspaceId },
    select: { planId: true, subscriptionStatus: true, pendingPlanId: true },
  });
  const grants = await db.creditGrant.findMany({ where: { workspaceId }, select: { type: true, amount: true, remaining: true } });
  const list = grants.map((g) => `${g.type} ${g.remaining}/${g.amount}`).sort();
  return { plan: `${w.planId} ${w.subscriptionStatus ?? "none"} → ${w.pendingPlanId ?? "-"}`, grants: list.join(" + ") };
}
