// Changes to a subscription through the API and the Billing portal: a new price (or quantity) with
// Stripe's proration behaviours, cancel_at_period_end, ending or moving a trial, metadata — one
// customer.subscription.updated event with the old values in previous_attributes, then the invoice
// the change calls for — and canceling at once (customer.subscription.deleted).
//
// Prorations: the unused part of the period is credited at the old price and the rest charged at the
// new one, each as a share of the full interval (billing/periods.ts), from `proration_date` (within the
// current period; now when absent), so an update bills what a create_preview with the same date showed. `always_invoice` bills them now,
// `create_prorations` leaves them pending for the next invoice, `none` drops them. A change of interval
// (month ↔ year) restarts the billing cycle now and bills the new price in full at once, as Stripe does.
import type { Ctx, Emulator } from "../emulator.ts";
import { invalidParam, invalidRequest, missingParam, noSuch } from "../errors.ts";
import { newId } from "../ids.ts";
import { applyMetadata, type Params } from "../params.ts";
import { applyChanges } from "../resources/common.ts";
import { NO_REQUEST, type EventRequest } from "../resources/events.ts";
import type { LineDraft } from "../resources/invoices.ts";
import { planOf, type Price } from "../resources/prices.ts";
import {
  currentPeriod,
  cycleOf,
  extrasOf,
  type CancellationDetails,
  type Subscription,
  type SubscriptionItem,
} from "../resources/subscriptions.ts";
import type { Account } from "../store.ts";
import { draftInvoice, issueInvoice, stopCollecting } from "./invoicing.ts";
import { billedOf, periodLine, productName, remainingTimeLine, unusedTimeLine, type Billed } from "./lines.ts";
import { prorate, shift, type Cycle } from "./periods.ts";

export type ProrationBehavior = "always_invoice" | "create_prorations" | "none";

export type ItemChange = { id: string; price: Price; quantity: number };
type CancellationInput = { comment?: string | null; feedback?: string };

export type SubscriptionUpdate = {
  items: ItemChange[];
  prorationBehavior: ProrationBehavior;
  /** When the prorations start (proration_date); now when absent. */
  prorationDate?: number;
  metadata?: ReturnType<Params["metadata"]>;
  description?: string | null;
  cancelAtPeriodEnd?: boolean;
  trialEnd?: "now" | number;
  cancellation?: CancellationInput;
};

const FEEDBACK = [
  "customer_service",
  "low_quality",
  "missing_features",
  "other",
  "switched_service",
  "too_complex",
  "too_expensive",
  "unused",
] as const;

function cancellationFrom(p: Params | undefined): CancellationInput | undefined {
  if (!p) return undefined;
  p.allowOnly(["comment", "feedback"]);
  return { comment: p.nullableStr("comment"), feedback: p.oneOf("feedback", FEEDBACK) };
}

function itemChangeFrom({ emu, account }: Ctx, sub: Subscription, p: Params): ItemChange {
  p.allowOnly(["id", "price", "quantity"]);
  const id = p.str("id");
  if (id === undefined) throw missingParam(p.path("id"));
  const item = sub.items.data.find((i) => i.id === id);
  if (!item) throw noSuch("subscription_item", id, p.path("id"));
  const priceId = p.str("price");
  const price = priceId === undefined ? item.price : emu.store.find(account, "price", priceId, p.path("price"));
  if (!price.recurring)
    throw invalidParam(
      p.path("price"),
      `The price specified (${price.id}) is a one-time price; subscription items require recurring prices.`,
    );
  if (!price.active)
    throw invalidParam(p.path("price"), `The price specified (${price.id}) is inactive. This field only accepts active prices.`);
  if (price.currency !== sub.currency)
    throw invalidParam(p.path("price"), `The price's currency (${price.currency}) must match the subscription's (${sub.currency}).`);
  return { id, price, quantity: p.int("quantity", { min: 1 }) ?? item.quantity };
}

/** `items[]`: new prices and quantities of existing items (subscriptions.update, create_preview's subscription_details). */
export function itemChangesFrom(ctx: Ctx, sub: Subscription, p: Params): ItemChange[] {
  return p.list("items").map((item) => itemChangeFrom(ctx, sub, item));
}

export function prorationBehaviorFrom(p: Params): ProrationBehavior {
  return p.oneOf("proration_behavior", ["always_invoice", "create_prorations", "none"] as const) ?? "create_prorations";
}

/** `proration_date`: when the prorations start (now when absent); Stripe refuses one outside the current period. */
export function prorationDateFrom(p: Params, sub: Subscription): number | undefined {
  const at = p.int("proration_date");
  if (at === undefined) return undefined;
  const { start, end } = currentPeriod(sub);
  if (at < start || at > end)
    throw invalidParam(
      p.path("proration_date"),
      `The proration_date (${at}) must be within the subscription's current period (${start} to ${end}).`,
    );
  return at;
}

/** Reads subscriptions.update params. */
export function parseUpdate(ctx: Ctx, sub: Subscription): SubscriptionUpdate {
  const { params, account } = ctx;
  params.allowOnly([
    "items",
    "proration_behavior",
    "proration_date",
    "metadata",
    "description",
    "cancel_at_period_end",
    "trial_end",
    "cancellation_details",
    "payment_behavior",
    "expand",
  ]);
  const paymentBehavior = params.str("payment_behavior");
  if (paymentBehavior !== undefined && paymentBehavior !== "allow_incomplete")
    throw invalidParam("payment_behavior", "The Stripe emulator supports payment_behavior=allow_incomplete (the default) only.");
  const trialEnd = params.str("trial_end") === "now" ? "now" : params.int("trial_end");
  if (typeof trialEnd === "number" && trialEnd <= account.clock.now())
    throw invalidParam("trial_end", "Invalid timestamp: must be in the future, or `now`.");
  return {
    items: itemChangesFrom(ctx, sub, params),
    prorationBehavior: prorationBehaviorFrom(params),
    prorationDate: prorationDateFrom(params, sub),
    metadata: params.metadata(),
    description: params.nullableStr("description"),
    cancelAtPeriodEnd: params.bool("cancel_at_period_end"),
    trialEnd,
    cancellation: cancellationFrom(params.obj("cancellation_details")),
  };
}

const sameCycle = (a: Cycle, b: Cycle) => a.interval === b.interval && a.interval_count === b.interval_count;

/** The subscription's next state and the invoice lines the change bills now or leaves pending. */
type Plan = { next: Partial<Subscription>; items: SubscriptionItem[]; invoiceNow: LineDraft[]; pending: LineDraft[] };

const unitTotal = (billed: Billed) => (billed.price.unit_amount ?? 0) * billed.quantity;

/**
 * New prices and quantities: prorated from `at` (proration_date, else now) to the period's end, or a
 * new cycle from now when the interval changes (the unused time still credited from `at`).
 */
function planItemChanges(
  emu: Emulator,
  account: Account,
  sub: Subscription,
  changes: ItemChange[],
  f: { behavior: ProrationBehavior; at: number },
  plan: Plan,
): void {
  const { behavior, at } = f;
  const changed = changes.filter((c) => {
    const item = plan.items.find((i) => i.id === c.id)!;
    return c.price.id !== item.price.id || c.quantity !== item.quantity;
  });
  if (changed.length === 0) return;
  const now = account.clock.now();
  const { end } = currentPeriod(sub);
  const cycle = cycleOf(sub);
  const newCycle = changed[0]!.price.recurring!;
  const restart = !sameCycle(cycle, newCycle);
  if (changed.some((c) => !sameCycle(c.price.recurring!, newCycle)))
    throw invalidRequest("All prices of a subscription must have the same billing interval.");
  if (restart && plan.items.length > 1)
    throw invalidRequest(
      "The Stripe emulator keeps one billing interval per subscription: change the interval of a one-item subscription only.",
    );

  // During a trial nothing is billed; a new interval is always billed now, whatever the behaviour.
  const trialing = sub.status === "trialing";
  const credits = !trialing && (restart || behavior !== "none");
  const pendingItem = () => (!restart && behavior === "create_prorations" ? newId("invoice_item") : undefined);
  const lines: LineDraft[] = [];
  for (const change of changed) {
    const item = plan.items.find((i) => i.id === change.id)!;
    const before = billedOf(item);
    const after: Billed = { ...before, price: change.price, quantity: change.quantity };
    const rest = { start: at, end };
    if (credits) {
      lines.push(
        unusedTimeLine(
          productName(emu, account, before.price),
          before,
          rest,
          prorate(unitTotal(before), at, end, sub.billing_cycle_anchor, cycle),
          pendingItem(),
        ),
      );
      if (!restart)
        lines.push(
          remainingTimeLine(
            productName(emu, account, after.price),
            after,
            rest,
            prorate(unitTotal(after), at, end, sub.billing_cycle_anchor, cycle),
            pendingItem(),
          ),
        );
    }
    Object.assign(item, { price: structuredClone(change.price), plan: planOf(change.price), quantity: change.quantity });
  }
  if (restart && !trialing) {
    const period = { start: now, end: shift(now, newCycle, 1) };
    for (const item of plan.items) Object.assign(item, { current_period_start: period.start, current_period_end: period.end });
    lines.push(...plan.items.map((item) => periodLine(productName(emu, account, item.price), billedOf(item), period)));
    plan.next.billing_cycle_anchor = now;
  }
  if (restart || behavior === "always_invoice") plan.invoiceNow.push(...lines);
  else plan.pending.push(...lines);
}

/**
 * The items after the change and the lines it bills, nothing stored (create_preview). Proration lines
 * come as subscription item lines, as a preview shows them; `newCycle`: the lines are the invoice the
 * change bills at once (a change of interval).
 */
export function proposeItemChanges(
  emu: Emulator,
  account: Account,
  sub: Subscription,
  changes: ItemChange[],
  f: { behavior: ProrationBehavior; at: number },
): { items: SubscriptionItem[]; lines: LineDraft[]; newCycle: boolean } {
  const plan: Plan = { next: {}, items: structuredClone(sub.items.data), invoiceNow: [], pending: [] };
  planItemChanges(emu, account, sub, changes, { behavior: f.behavior === "none" ? "none" : "always_invoice", at: f.at }, plan);
  return { items: plan.items, lines: plan.invoiceNow, newCycle: plan.next.billing_cycle_anchor !== undefined };
}

/** trial_end: `now` ends the trial and bills the first full period; a later time moves the trial's end. */
function planTrialEnd(emu: Emulator, account: Account, sub: Subscription, trialEnd: "now" | number, plan: Plan): void {
  if (sub.status !== "trialing") throw invalidParam("trial_end", "The Stripe emulator changes trial_end of trialing subscriptions only.");
  const now = account.clock.now();
  const end = trialEnd === "now" ? now : trialEnd;
  plan.next.trial_end = end;
  plan.next.billing_cycle_anchor = end;
  if (trialEnd !== "now") {
    for (const item of plan.items) item.current_period_end = end;
    extrasOf(account, sub.id).trialWillEndSent = false;
    return;
  }
  const period = { start: now, end: shift(now, cycleOf(sub), 1) };
  for (const item of plan.items) Object.assign(item, { current_period_start: period.start, current_period_end: period.end });
  plan.next.status = "active";
  plan.invoiceNow.push(...plan.items.map((item) => periodLine(productName(emu, account, item.price), billedOf(item), period)));
}

const noCancellation = (): CancellationDetails => ({ comment: null, feedback: null, reason: null });

/** The details with the comment and feedback given (an empty value unsets). */
function withFeedback(details: CancellationDetails, input: CancellationInput | undefined): CancellationDetails {
  if (!input) return details;
  return {
    ...details,
    comment: input.comment !== undefined ? input.comment : details.comment,
    feedback: input.feedback ?? details.feedback,
  };
}

function planCancellation(sub: Subscription, update: SubscriptionUpdate, periodEnd: number, now: number, plan: Plan): void {
  const details = sub.cancellation_details ?? noCancellation();
  if (update.cancelAtPeriodEnd === true && !sub.cancel_at_period_end) {
    // Stripe sets canceled_at when the cancellation is requested; ended_at says when it took effect.
    plan.next.cancel_at_period_end = true;
    plan.next.canceled_at = now;
    plan.next.cancellation_details = { ...details, reason: "cancellation_requested" };
  }
  if (update.cancelAtPeriodEnd === false && sub.cancel_at_period_end) {
    plan.next.cancel_at_period_end = false;
    plan.next.cancel_at = null;
    plan.next.canceled_at = null;
    plan.next.cancellation_details = noCancellation();
  }
  if (plan.next.cancel_at_period_end ?? sub.cancel_at_period_end) plan.next.cancel_at = periodEnd;
  if (update.cancellation) plan.next.cancellation_details = withFeedback(plan.next.cancellation_details ?? details, update.cancellation);
}

/** subscriptions.update (and the portal's Cancel plan / Renew plan). */
export function updateSubscription(
  ctx: Pick<Ctx, "emu" | "account" | "request">,
  sub: Subscription,
  update: SubscriptionUpdate,
): Subscription {
  const { emu, account, request } = ctx;
  const now = account.clock.now();
  if (sub.status === "canceled" && (update.items.length > 0 || update.cancelAtPeriodEnd !== undefined || update.trialEnd !== undefined))
    throw invalidRequest("A canceled subscription can only update its cancellation_details and metadata.");
  const plan: Plan = { next: {}, items: structuredClone(sub.items.data), invoiceNow: [], pending: [] };
  planItemChanges(emu, account, sub, update.items, { behavior: update.prorationBehavior, at: update.prorationDate ?? now }, plan);
  if (update.trialEnd !== undefined) planTrialEnd(emu, account, sub, update.trialEnd, plan);
  planCancellation(sub, update, plan.items[0]!.current_period_end, now, plan);
  if (update.metadata !== undefined) plan.next.metadata = applyMetadata(sub.metadata, update.metadata);
  if (update.description !== undefined) plan.next.description = update.description;
  plan.next.items = { ...sub.items, data: plan.items };

  // An invoice now carries the pending prorations of earlier changes too, as always_invoice does at Stripe.
  const extras = extrasOf(account, sub.id);
  extras.pendingLines.push(...plan.pending);
  let invoice = null;
  if (plan.invoiceNow.length > 0) {
    invoice = draftInvoice(emu, account, sub, {
      billingReason: "subscription_update",
      lines: [...extras.pendingLines, ...plan.invoiceNow],
      periodStart: now,
      periodEnd: now,
    });
    extras.pendingLines = [];
    plan.next.latest_invoice = invoice.id;
  }
  const previous = applyChanges(sub, plan.next);
  if (Object.keys(previous).length > 0) emu.emit(account, "customer.subscription.updated", sub, { previous, request });
  if (invoice) issueInvoice(emu, account, invoice, request);
  return sub;
}

/** The subscription ends (status canceled, customer.subscription.deleted): canceled now, or at its cancel_at. */
export function endSubscription(
  emu: Emulator,
  account: Account,
  sub: Subscription,
  f: { endedAt: number; canceledAt: number; request?: EventRequest },
): void {
  const details = sub.cancellation_details ?? noCancellation();
  applyChanges(sub, {
    status: "canceled",
    ended_at: f.endedAt,
    canceled_at: f.canceledAt,
    cancellation_details: { ...details, reason: details.reason ?? "cancellation_requested" },
  });
  extrasOf(account, sub.id).pendingLines = [];
  stopCollecting(emu, account, sub);
  emu.emit(account, "customer.subscription.deleted", sub, { request: f.request ?? NO_REQUEST });
}

/** subscriptions.cancel: ends the subscription now, without a final invoice. */
export function cancelSubscription(ctx: Ctx, sub: Subscription): Subscription {
  const { emu, account, params, request } = ctx;
  for (const flag of ["invoice_now", "prorate"])
    if (params.bool(flag)) throw invalidParam(flag, `The Stripe emulator cancels without a final invoice (${flag}=false only).`);
  if (sub.status === "canceled") throw invalidRequest(`The subscription ${sub.id} has already been canceled.`);
  sub.cancellation_details = withFeedback(
    sub.cancellation_details ?? noCancellation(),
    cancellationFrom(params.obj("cancellation_details")),
  );
  const now = account.clock.now();
  endSubscription(emu, account, sub, { endedAt: now, canceledAt: now, request });
  return sub;
}
