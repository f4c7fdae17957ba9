// Scenario 12 — kill -9 of the jobs worker mid-auto-top-up. Workspaces with a Stripe customer, a card
// saved through setup-mode Checkout (in the emulator), auto top-up on and one PENDING attempt each, as a
// debit crossing the threshold records it. The worker (`npm run jobs`) is asked for a run and killed
// while charging: some attempts charged, others claimed (CHARGING) and not settled — one may even be paid
// at Stripe with the worker gone before it wrote that down. It is started again as if the claim lease
// (5 minutes) had passed (TEST_CLOCK_OFFSET_MS, test mode only), re-claims the dead worker's attempts and
// charges them with the same idempotency keys, and runs until every attempt is settled. Then Stripe's
// payment_intent.succeeded events reach the app's webhook route through the emulator, each twice.
// Every workspace must have exactly one succeeded PaymentIntent at Stripe, exactly one PURCHASED grant
// (source payment_intent:<id>, the pack's credits), its attempt SUCCEEDED with that intent, and a whole
// ledger (checkInvariants). A run with nothing in flight at the kill fails.
import type Stripe from "stripe";
import type { Db } from "../../lib/db.ts";
import { startJobSender, type JobsProcess } from "./stack.ts";
import { emulatorControl, fmt, makeWorkspaces, mapLimit, Problems, type Outcome } from "./support.ts";

export type TopUpCrashOptions = {
  worker: JobsProcess;
  db: Db;
  databaseUrl: string;
  /** The app instance whose webhook route receives Stripe's events. */
  appUrl: string;
  emulatorBase: string;
  secretKey: string;
  workspaces: number;
  seed: number;
  recoverWithinMs?: number;
};

const PACK = "starter_1000";
const THRESHOLD = 100;
/** Kill by then at the latest: this many attempts of the first batch (50) settled. */
const KILL_BY = 10;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every `everyMs` until it returns true or `ms` have passed; returns the last answer. */
async function until(ms: number, everyMs: number, check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(everyMs);
  }
}

export async function runTopUpCrash(o: TopUpCrashOptions): Promise<Outcome> {
  const { checkInvariants } = await import("../../lib/credits/index.ts");
  const { testClock } = await import("../../lib/clock.ts");
  const { JOBS } = await import("../../lib/jobs/index.ts");
  const { stripe } = await import("../../lib/billing/stripe/client.ts");
  const { CLAIM_LEASE_MS, createCardSetupSession, syncCardSetup, topUpSource } =
    await import("../../lib/billing/stripe/auto-top-up/index.ts");
  const problems = new Problems();
  const control = <T>(method: "GET" | "POST", path: string, body?: object) =>
    emulatorControl<T>(o.emulatorBase, o.secretKey, method, path, body);
  testClock.reset();

  // ── the workspaces: customer, saved card, auto top-up on, one PENDING attempt each ────────────────
  const pack = await o.db.creditPack.findUniqueOrThrow({ where: { id: PACK } });
  const made = await makeWorkspaces(o.db, o.workspaces, { prefix: `verify-topup-${o.seed}` });
  const ids = made.map((w) => w.id);
  await mapLimit(made, 8, async (w, i) => {
    const session = await createCardSetupSession({ workspaceId: w.id, email: `verify-topup-${o.seed}-${i}@example.test` });
    await control("POST", `/checkout/sessions/${session.id}/pay`, { outcome: "succeeded" });
    const saved = await syncCardSetup(session.id, w.id);
    if (saved.status !== "saved") throw new Error(`the card of ${w.id} was not saved (${saved.status})`);
    await o.db.$transaction([
      o.db.autoTopUp.update({
        where: { workspaceId: w.id },
        data: { enabled: true, thresholdCredits: THRESHOLD, packId: PACK, monthlyCap: 3, cooldownMinutes: 10 },
      }),
      o.db.workspace.update({ where: { id: w.id }, data: { autoTopUpThreshold: THRESHOLD } }),
      o.db.autoTopUpAttempt.create({
        data: { workspaceId: w.id, thresholdCredits: THRESHOLD, balanceBefore: THRESHOLD, balanceAfter: THRESHOLD - 10 },
      }),
    ]);
  });
  const attempts = await o.db.autoTopUpAttempt.findMany({ where: { workspaceId: { in: ids } }, select: { id: true, workspaceId: true } });
  const attemptIds = new Set(attempts.map((a) => a.id));
  const statuses = async () => {
    const rows = await o.db.$queryRaw<{ status: string; n: number }[]>`
      SELECT status::text AS status, count(*)::int AS n FROM "AutoTopUpAttempt" WHERE "workspaceId" = ANY(${ids}::text[]) GROUP BY 1`;
    const by = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    return {
      pending: by.PENDING ?? 0,
      charging: by.CHARGING ?? 0,
      succeeded: by.SUCCEEDED ?? 0,
      other: attempts.length - (by.PENDING ?? 0) - (by.CHARGING ?? 0) - (by.SUCCEEDED ?? 0),
    };
  };
  /** The emulator's payment intents of these attempts (the account is shared with other scenarios). */
  const intents = async () => {
    const all = await stripe().paymentIntents.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 });
    return all.filter((pi) => attemptIds.has(pi.metadata.auto_top_up_attempt ?? ""));
  };

  // ── run, kill -9 mid-charge, restart past the lease ───────────────────────────────────────────────
  const { boss, stop: stopSender } = await startJobSender(o.databaseUrl);
  let atKill = { pending: 0, charging: 0, succeeded: 0, other: 0, paidAtStripe: 0, paidNotRecorded: 0 };
  let recoveredIn = 0;
  let runs = 0;
  try {
    await o.worker.start();
    await boss.send(JOBS.autoTopUp, {});
    // Killed while the claimed batch is being charged: preferably in the moment a payment intent exists
    // at Stripe that its attempt does not record yet (the worker dies before writing Stripe's answer down),
    // else once KILL_BY charges went through and the rest of the batch is still CHARGING.
    await until(60_000, 2, async () => {
      const recorded = await o.db.autoTopUpAttempt.findMany({
        where: { workspaceId: { in: ids }, status: { not: "PENDING" } },
        select: { status: true, paymentIntentId: true },
      });
      const charging = recorded.filter((a) => a.status === "CHARGING").length;
      if (charging === 0) return false;
      if (recorded.length - charging >= KILL_BY) return true;
      const known = new Set(recorded.map((a) => a.paymentIntentId));
      const newest = (await stripe().paymentIntents.list({ limit: 100 })).data;
      return newest.some((pi) => attemptIds.has(pi.metadata.auto_top_up_attempt ?? "") && !known.has(pi.id));
    });
    await o.worker.kill9();
    const chargingAtKill = new Set(
      (await o.db.autoTopUpAttempt.findMany({ where: { workspaceId: { in: ids }, status: "CHARGING" }, select: { id: true } })).map(
        (a) => a.id,
      ),
    );
    const paid = await intents();
    atKill = {
      ...(await statuses()),
      paidAtStripe: paid.length,
      paidNotRecorded: paid.filter((pi) => chargingAtKill.has(pi.metadata.auto_top_up_attempt!)).length,
    };
    if (atKill.charging === 0)
      problems.add(
        `nothing was in flight at the kill (${atKill.succeeded} charged, ${atKill.pending} pending): the worker never started, or finished too soon`,
      );
    if (atKill.paidAtStripe === 0) problems.add("no payment intent existed at Stripe at the kill");

    // As if started after the lease: the dead worker's CHARGING attempts are claimed again.
    const restarted = Date.now();
    await o.worker.start({ TEST_CLOCK_OFFSET_MS: String(CLAIM_LEASE_MS + 60_000) });
    // One run at a time (a singleton queue; the dead worker's job holds it until its lease runs out);
    // each run claims up to 50 attempts, so ask again whenever the last run is over.
    let job: string | null = null;
    const settled = await until(o.recoverWithinMs ?? 240_000, 500, async () => {
      const s = await statuses();
      if (s.pending + s.charging === 0) return true;
      const state = job ? (await boss.getJobById(JOBS.autoTopUp, job))?.state : "completed";
      if (state !== "created" && state !== "active" && state !== "retry") {
        job = await boss.send(JOBS.autoTopUp, {});
        runs++;
      }
      return false;
    });
    recoveredIn = Date.now() - restarted;
    if (!settled) {
      const s = await statuses();
      problems.add(`${s.pending} attempts PENDING and ${s.charging} CHARGING ${Math.round(recoveredIn / 1000)} s after the restart`);
    }
  } finally {
    await o.worker.stop();
    await stopSender();
  }

  // ── Stripe's payment_intent.succeeded events to the app, through the emulator, each twice ─────────
  const endpoint = await stripe().webhookEndpoints.create({
    url: `${o.appUrl}/api/stripe/webhook`,
    enabled_events: ["payment_intent.succeeded"],
  });
  let deliveries = { sent: 0, delivered: 0, refused: "" };
  try {
    const events = (
      await stripe().events.list({ type: "payment_intent.succeeded", limit: 100 }).autoPagingToArray({ limit: 10_000 })
    ).filter((e) => attemptIds.has((e.data.object as Stripe.PaymentIntent).metadata.auto_top_up_attempt ?? ""));
    const eventIds = new Set(events.map((e) => e.id));
    await mapLimit([...events, ...events], 8, (e) => control("POST", `/events/${e.id}/resend`));
    // Until every event has been answered 2xx twice (the emulator retries failures with backoff).
    await until(120_000, 500, async () => {
      const { data } = await control<{ data: { event: string; endpoint: string; status: number | null; outcome: string }[] }>(
        "GET",
        "/deliveries",
      );
      const ours = data.filter((d) => d.endpoint === endpoint.id && eventIds.has(d.event));
      const refused = new Map<string, number>();
      for (const d of ours.filter((x) => x.outcome !== "delivered"))
        refused.set(String(d.status ?? "no answer"), (refused.get(String(d.status ?? "no answer")) ?? 0) + 1);
      deliveries = {
        sent: ours.length,
        delivered: ours.length - [...refused.values()].reduce((a, b) => a + b, 0),
        refused: [...refused].map(([status, n]) => `${status} ×${n}`).join(", ") || "none",
      };
      return deliveries.delivered >= 2 * events.length;
    });
    // The app may ask for a retry (503: e.g. its database pool busy under 2 deliveries per event at once), never fail (500).
    if (/\b500\b/.test(deliveries.refused)) problems.add(`webhook deliveries answered 500: ${deliveries.refused}`);
    if (deliveries.delivered < 2 * events.length)
      problems.add(`${deliveries.delivered} of ${2 * events.length} webhook deliveries answered 2xx`);
  } finally {
    await stripe().webhookEndpoints.del(endpoint.id);
  }

  // ── exactly once: at Stripe, in the ledger, in the attempt ────────────────────────────────────────
  const paid = await intents();
  const customers = new Map(
    (await o.db.workspace.findMany({ where: { id: { in: ids } }, select: { id: true, stripeCustomerId: true } })).map((w) => [
      w.id,
      w.stripeCustomerId,
    ]),
  );
  const grants = await o.db.creditGrant.findMany({
    where: { workspaceId: { in: ids }, type: "PURCHASED" },
    select: { workspaceId: true, source: true, amount: true },
  });
  const settledAttempts = new Map(
    (await o.db.autoTopUpAttempt.findMany({ where: { workspaceId: { in: ids } } })).map((a) => [a.workspaceId, a]),
  );
  const tally = { chargedOnce: 0, chargedTwice: 0, notCharged: 0, grantedOnce: 0, grantedTwice: 0, notGranted: 0 };
  for (const id of ids) {
    const mine = paid.filter((pi) => pi.customer === customers.get(id));
    const succeeded = mine.filter((pi) => pi.status === "succeeded");
    if (succeeded.length === 1 && mine.length === 1) tally.chargedOnce++;
    else if (succeeded.length > 1) tally.chargedTwice++;
    else tally.notCharged++;
    if (mine.length !== 1 || succeeded.length !== 1)
      problems.add(`workspace ${id}: ${mine.length} payment intents at Stripe (${succeeded.length} succeeded), one expected`);
    const grantsOf = grants.filter((g) => g.workspaceId === id);
    const right =
      succeeded.length === 1 ? grantsOf.filter((g) => g.source === topUpSource(succeeded[0]!.id) && g.amount === pack.credits) : [];
    if (grantsOf.length === 1 && right.length === 1) tally.grantedOnce++;
    else if (grantsOf.length > 1) tally.grantedTwice++;
    else tally.notGranted++;
    if (grantsOf.length !== 1 || right.length !== 1)
      problems.add(
        `workspace ${id}: PURCHASED grants ${JSON.stringify(grantsOf)}, one of ${pack.credits} from ${succeeded[0]?.id ?? "its payment"} expected`,
      );
    const attempt = settledAttempts.get(id);
    if (attempt?.status !== "SUCCEEDED" || attempt.paymentIntentId !== (succeeded[0]?.id ?? null)) {
      problems.add(
        `workspace ${id}: attempt ${attempt?.id} ${attempt?.status} with ${attempt?.paymentIntentId ?? "no payment intent"}, SUCCEEDED with ${succeeded[0]?.id} expected`,
      );
    }
  }
  const report = await checkInvariants(o.db, ids);
  for (const v of report.violations) problems.add(v);

  return {
    did: `${fmt(attempts.length)} workspaces each with a saved card and a PENDING auto top-up; kill -9 of the jobs worker mid-charge, restart past the claim lease, runs until settled, payment_intent.succeeded to the app twice each`,
    figures:
      `attempts ${fmt(attempts.length)}; at the kill: ${atKill.succeeded} charged, ${atKill.charging} in flight (CHARGING; ${atKill.paidNotRecorded} of them paid at Stripe, not recorded), ${atKill.pending} pending, ${atKill.paidAtStripe} payment intents; ` +
      `settled ${(recoveredIn / 1000).toFixed(0)} s after the restart (${runs} runs asked for); charged once ${fmt(tally.chargedOnce)}, doubled ${tally.chargedTwice}, lost ${tally.notCharged}; ` +
      `granted once ${fmt(tally.grantedOnce)}, doubled ${tally.grantedTwice}, lost ${tally.notGranted}; webhook deliveries ${deliveries.delivered} ok, refused first ${deliveries.refused}; violations ${report.violations.length}`,
    ok: problems.count === 0,
    problems: problems.list,
  };
}
