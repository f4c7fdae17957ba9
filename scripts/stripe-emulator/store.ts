// Accounts (one per secret key) and their objects, with optional JSON persistence for the demo.
// Objects are kept in their full Stripe shape, in creation order; lists read them newest first.
import fs from "node:fs";
import path from "node:path";
import type { SubscriptionData } from "./billing/checkout-terms.ts";
import { Clock } from "./clock.ts";
import { noSuch } from "./errors.ts";
import type { FormValue } from "./form.ts";
import { newId } from "./ids.ts";
import type { Charge } from "./resources/charges.ts";
import type { CheckoutSession, LineItem } from "./resources/checkout-sessions.ts";
import type { Customer } from "./resources/customers.ts";
import type { Dispute } from "./resources/disputes.ts";
import type { StripeEvent } from "./resources/events.ts";
import type { Invoice, InvoicePayment } from "./resources/invoices.ts";
import type { PaymentIntent, PaymentIntentData } from "./resources/payment-intents.ts";
import type { DeclineCode, PaymentMethod } from "./resources/payment-methods.ts";
import type { PortalSession } from "./resources/billing-portal.ts";
import type { Price } from "./resources/prices.ts";
import type { Product } from "./resources/products.ts";
import type { Refund } from "./resources/refunds.ts";
import type { SetupIntent, SetupIntentData } from "./resources/setup-intents.ts";
import type { Subscription, SubscriptionExtras } from "./resources/subscriptions.ts";
import type { WebhookEndpoint } from "./resources/webhook-endpoints.ts";

export type ObjectTypes = {
  customer: Customer;
  product: Product;
  price: Price;
  "checkout.session": CheckoutSession;
  payment_intent: PaymentIntent;
  charge: Charge;
  refund: Refund;
  payment_method: PaymentMethod;
  setup_intent: SetupIntent;
  dispute: Dispute;
  subscription: Subscription;
  invoice: Invoice;
  invoice_payment: InvoicePayment;
  "billing_portal.session": PortalSession;
  event: StripeEvent;
  webhook_endpoint: WebhookEndpoint;
};
export type ObjectName = keyof ObjectTypes;
export type AnyObject = ObjectTypes[ObjectName];

/**
 * What a checkout session needs beyond its Stripe shape: its line items, the payment intent, the
 * subscription or the setup intent it will create, and its creation params (kept as sent).
 */
export type CheckoutExtras = {
  lineItems: LineItem[];
  paymentIntentData: PaymentIntentData;
  /** subscription mode only (absent in state files written before subscriptions existed). */
  subscriptionData?: SubscriptionData;
  /** setup mode only. */
  setupIntentData?: SetupIntentData;
  params: Record<string, FormValue>;
};

export type IdempotentResponse = { fingerprint: string; status: number; body: string };

export type Account = {
  key: string;
  /** The Stripe-Version of the account's first request, used as the events' api_version (as Stripe pins it). */
  apiVersion: string;
  portalConfigurationId: string;
  /** The account's own time (POST /_emulator/clock moves it). */
  clock: Clock;
  objects: Map<string, AnyObject>;
  checkout: Map<string, CheckoutExtras>;
  subscriptions: Map<string, SubscriptionExtras>;
  /**
   * Payment methods whose charges are declined: Stripe's …0341 test card, POST /_emulator/customers/:id/card,
   * and cards whose off-session charges need authentication (authentication_required).
   */
  failingPaymentMethods: Map<string, DeclineCode>;
  webhookSecrets: Map<string, string>;
  idempotency: Map<string, IdempotentResponse>;
};

export const DEFAULT_API_VERSION = "2026-07-29.dahlia";

/** The account's maps, saved as entry lists. */
const MAPS = ["checkout", "subscriptions", "failingPaymentMethods", "webhookSecrets", "idempotency"] as const;
type MapField = (typeof MAPS)[number];
type Entries<M> = M extends Map<infer K, infer V> ? [K, V][] : never;

type SavedAccount = Pick<Account, "key" | "apiVersion" | "portalConfigurationId"> & {
  clockOffsetMs?: number;
  objects: AnyObject[];
} & { [F in MapField]?: Entries<Account[F]> };
/** Version 1 had one clock for every account (clockOffsetMs); version 2 keeps one per account. */
type SavedState = { version: 1 | 2; clockOffsetMs?: number; accounts: SavedAccount[] };

export class Store {
  readonly accounts = new Map<string, Account>();
  /** Object id → account, for the hosted pages (which carry no API key). */
  private readonly owners = new Map<string, Account>();

  constructor(private readonly statePath?: string) {}

  account(key: string, apiVersion?: string): Account {
    let account = this.accounts.get(key);
    if (!account) {
      account = {
        key,
        apiVersion: apiVersion ?? DEFAULT_API_VERSION,
        portalConfigurationId: newId("billing_portal.configuration"),
        clock: new Clock(),
        objects: new Map(),
        checkout: new Map(),
        subscriptions: new Map(),
        failingPaymentMethods: new Map(),
        webhookSecrets: new Map(),
        idempotency: new Map(),
      };
      this.accounts.set(key, account);
    }
    return account;
  }

  insert<T extends AnyObject>(account: Account, object: T): T {
    account.objects.set(object.id, object);
    this.owners.set(object.id, account);
    return object;
  }

  remove(account: Account, id: string): void {
    account.objects.delete(id);
    this.owners.delete(id);
  }

  byId(account: Account, id: string): AnyObject | undefined {
    return account.objects.get(id);
  }

  get<K extends ObjectName>(account: Account, type: K, id: string): ObjectTypes[K] | undefined {
    const object = account.objects.get(id);
    return object?.object === type ? (object as ObjectTypes[K]) : undefined;
  }

  /** Retrieve or 404 `resource_missing` ("No such customer: 'cus_…'"), `param` naming the parameter that held the id. */
  find<K extends ObjectName>(account: Account, type: K, id: string, param = "id"): ObjectTypes[K] {
    const object = this.get(account, type, id);
    if (!object) throw noSuch(type, id, param);
    return object;
  }

  /** Oldest first. */
  all<K extends ObjectName>(account: Account, type: K): ObjectTypes[K][] {
    return [...account.objects.values()].filter((o): o is ObjectTypes[K] => o.object === type);
  }

  /** Newest first, as Stripe lists. */
  newestFirst<K extends ObjectName>(account: Account, type: K): ObjectTypes[K][] {
    return this.all(account, type).reverse();
  }

  ownerOf(id: string): Account | undefined {
    return this.owners.get(id);
  }

  /** Loads the state file if there is one. */
  load(): void {
    if (!this.statePath || !fs.existsSync(this.statePath)) return;
    const state = JSON.parse(fs.readFileSync(this.statePath, "utf8")) as SavedState;
    for (const saved of state.accounts) {
      const account = this.account(saved.key, saved.apiVersion);
      account.portalConfigurationId = saved.portalConfigurationId;
      account.clock = new Clock(saved.clockOffsetMs ?? state.clockOffsetMs ?? 0);
      for (const object of saved.objects) this.insert(account, object);
      for (const field of MAPS)
        (account as Record<MapField, Map<string, unknown>>)[field] = new Map((saved[field] ?? []) as [string, unknown][]);
    }
  }

  save(): void {
    if (!this.statePath) return;
    const state: SavedState = {
      version: 2,
      accounts: [...this.accounts.values()].map((a) => ({
        key: a.key,
        apiVersion: a.apiVersion,
        portalConfigurationId: a.portalConfigurationId,
        clockOffsetMs: a.clock.offset,
        objects: [...a.objects.values()],
        ...Object.fromEntries(MAPS.map((field) => [field, [...a[field]]])),
      })),
    };
    fs.mkdirSync(path.dirname(this.statePath), { recursive: true });
    const tmp = `${this.statePath}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(state));
    fs.renameSync(tmp, this.statePath);
  }
}
