// subscription: https://docs.stripe.com/api/subscriptions/object — the object and its items.
// Subscriptions start from Checkout (billing/subscribe.ts); changes are billing/changes.ts, time-driven
// work billing/cycle.ts. In the 2026 API the current period lives on each item
// (items.data[].current_period_start/end), not on the subscription. The API (retrieve, list, update,
// cancel, GET /v1/subscription_items) is resources/subscription-routes.ts: it calls billing/, which
// builds on this module, so it lives apart from the object (no import cycle).
import { newId } from "../ids.ts";
import { listOf } from "../list.ts";
import type { Metadata } from "../params.ts";
import type { Account } from "../store.ts";
import type { Cycle, FirstPeriod } from "../billing/periods.ts";
import type { LineDraft } from "./invoices.ts";
import { planOf, type Price } from "./prices.ts";

export type SubscriptionStatus =
  "active" | "canceled" | "incomplete" | "incomplete_expired" | "past_due" | "paused" | "trialing" | "unpaid";

export type CancellationDetails = {
  comment: string | null;
  feedback: string | null;
  reason: "cancellation_requested" | "payment_disputed" | "payment_failed" | null;
};

export function buildSubscriptionItem(
  now: number,
  f: { subscription: string; price: Price; quantity: number; period: { start: number; end: number } },
) {
  return {
    id: newId("subscription_item"),
    object: "subscription_item" as const,
    billing_thresholds: null,
    created: now,
    current_period_end: f.period.end,
    current_period_start: f.period.start,
    current_trial: null,
    discounts: [],
    metadata: {} as Metadata,
    plan: planOf(f.price),
    price: structuredClone(f.price),
    quantity: f.quantity,
    subscription: f.subscription,
    tax_rates: [],
  };
}
export type SubscriptionItem = ReturnType<typeof buildSubscriptionItem>;

export function buildSubscription(
  now: number,
  f: {
    customer: string;
    currency: string;
    items: { price: Price; quantity: number }[];
    period: FirstPeriod;
    metadata: Metadata;
    description: string | null;
  },
) {
  const id = newId("subscription");
  const trialing = f.period.trialEnd !== null;
  const items = f.items.map((item) => buildSubscriptionItem(now, { subscription: id, ...item, period: f.period }));
  return {
    id,
    object: "subscription" as const,
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: f.period.anchor,
    billing_cycle_anchor_config: null,
    // Flexible billing is the default for new subscriptions since 2025-09-30.clover.
    billing_mode: { flexible: { proration_discounts: "included" as const }, type: "flexible" as const, updated_at: now },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null as number | null,
    cancel_at_period_end: false,
    canceled_at: null as number | null,
    cancellation_details: { comment: null, feedback: null, reason: null } as CancellationDetails | null,
    collection_method: "charge_automatically" as const,
    created: now,
    currency: f.currency,
    customer: f.customer,
    customer_account: null,
    days_until_due: null,
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: f.description,
    discounts: [],
    ended_at: null as number | null,
    invoice_settings: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: { type: "self" as const } },
    items: listOf(items, `/v1/subscription_items?subscription=${id}`),
    latest_invoice: null as string | null,
    livemode: false,
    managed_payments: null,
    metadata: f.metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: "off" as const },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: now,
    status: (trialing ? "trialing" : "active") as SubscriptionStatus,
    test_clock: null,
    transfer_data: null,
    trial_end: f.period.trialEnd,
    trial_settings: { end_behavior: { missing_payment_method: "create_invoice" as const } },
    trial_start: trialing ? now : (null as number | null),
  };
}
export type Subscription = ReturnType<typeof buildSubscription>;

/** The current period (every item shares it: the emulator keeps one billing interval per subscription). */
export function currentPeriod(sub: Subscription): { start: number; end: number } {
  const item = sub.items.data[0]!;
  return { start: item.current_period_start, end: item.current_period_end };
}

export function cycleOf(sub: Subscription): Cycle {
  return sub.items.data[0]!.price.recurring!;
}

/** A copy of the items list with `change` applied to each item (for applyChanges' previous_attributes). */
export function itemsWith(sub: Subscription, change: (item: SubscriptionItem) => Partial<SubscriptionItem>): Subscription["items"] {
  return { ...sub.items, data: sub.items.data.map((item) => ({ ...structuredClone(item), ...change(item) })) };
}

/** What the emulator keeps per subscription beyond its Stripe shape. */
export type SubscriptionExtras = {
  /** Prorations of `create_prorations` changes, billed with the next invoice (Stripe's pending invoice items). */
  pendingLines: LineDraft[];
  trialWillEndSent: boolean;
};

export function extrasOf(account: Account, subscriptionId: string): SubscriptionExtras {
  let extras = account.subscriptions.get(subscriptionId);
  if (!extras) account.subscriptions.set(subscriptionId, (extras = { pendingLines: [], trialWillEndSent: false }));
  return extras;
}
