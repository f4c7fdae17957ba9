// A local Stripe: the subset of Stripe's REST API that Creditbook uses (the official `stripe` SDK works
// against it unchanged with {host, port, protocol: "http"}) — payments (also off-session, on cards saved
// through setup-mode Checkout), disputes, subscriptions with their invoices and renewals (billing/,
// scheduler.ts) — hosted Checkout, Billing portal and invoice pages
// (pages/), webhooks signed like Stripe's, and /_emulator controls for tests (control.ts), each account
// (secret key) with its own clock. The CLI is main.ts; docs/decisions/005-stripe-emulator.md says why.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { controlRoutes } from "./control.ts";
import { Emulator, type Route } from "./emulator.ts";
import { unrecognizedUrl } from "./errors.ts";
import { errorReply, handleApi, type Reply } from "./http.ts";
import { handlePage } from "./pages/index.ts";
import { portalRoutes } from "./resources/billing-portal.ts";
import { chargeRoutes } from "./resources/charges.ts";
import { checkoutSessionRoutes } from "./resources/checkout-sessions.ts";
import { customerRoutes } from "./resources/customers.ts";
import { disputeRoutes } from "./resources/disputes.ts";
import { eventRoutes } from "./resources/event-routes.ts";
import { invoiceRoutes } from "./resources/invoice-routes.ts";
import { paymentIntentRoutes } from "./resources/payment-intents.ts";
import { paymentMethodRoutes } from "./resources/payment-methods.ts";
import { priceRoutes } from "./resources/prices.ts";
import { productRoutes } from "./resources/products.ts";
import { refundRoutes } from "./resources/refunds.ts";
import { setupIntentRoutes } from "./resources/setup-intents.ts";
import { subscriptionRoutes } from "./resources/subscription-routes.ts";
import { webhookEndpointRoutes } from "./resources/webhook-endpoints.ts";
import { Store } from "./store.ts";
import { Webhooks } from "./webhooks.ts";

export type StripeEmulatorOptions = {
  /** 0 = a random free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Base of hosted page URLs; default http://<host>:<port>. */
  publicUrl?: string;
  /** A default endpoint that receives every account's events (demo, e2e). */
  webhookUrl?: string;
  /** When set, every endpoint (the default one and those created through the API) signs with this whsec_… secret. */
  webhookSecret?: string;
  /** Webhook retry backoff base (default 1000): retries after base·2^n, at most 8 attempts. */
  retryBaseMs?: number;
  /** Optional JSON file: loaded at start, saved after each change. */
  statePath?: string;
  quiet?: boolean;
};

export type StripeEmulator = { url: string; port: number; close(): Promise<void> };

const ROUTES: Route[] = [
  ...customerRoutes,
  ...productRoutes,
  ...priceRoutes,
  ...checkoutSessionRoutes,
  ...paymentIntentRoutes,
  ...chargeRoutes,
  ...refundRoutes,
  ...paymentMethodRoutes,
  ...setupIntentRoutes,
  ...disputeRoutes,
  ...subscriptionRoutes,
  ...invoiceRoutes,
  ...portalRoutes,
  ...eventRoutes,
  ...webhookEndpointRoutes,
  ...controlRoutes,
];

function send(res: http.ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { ...reply.headers, "content-length": Buffer.byteLength(reply.body) });
  res.end(reply.body);
}

async function route(emu: Emulator, req: http.IncomingMessage, url: URL): Promise<Reply> {
  if (url.pathname.startsWith("/v1/") || url.pathname.startsWith("/_emulator/")) return handleApi(emu, ROUTES, req, url);
  return (await handlePage(emu, req, url)) ?? errorReply(unrecognizedUrl(req.method ?? "GET", url.pathname));
}

export async function startStripeEmulator(options: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const host = options.host ?? "127.0.0.1";
  const log = options.quiet ? () => {} : (line: string) => process.stderr.write(`[stripe-emulator] ${line}\n`);
  const store = new Store(options.statePath);
  store.load();
  const webhooks = new Webhooks(
    { url: options.webhookUrl, secret: options.webhookSecret, retryBaseMs: options.retryBaseMs ?? 1000, log },
    store,
  );
  const emu = new Emulator(store, webhooks);
  if (options.webhookUrl && !options.webhookSecret) log(`webhooks to ${options.webhookUrl} are signed with ${webhooks.defaultSecret}`);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://emulator");
    route(emu, req, url).then(
      (reply) => {
        log(`${req.method} ${url.pathname} ${reply.status}`);
        send(res, reply);
      },
      (e: unknown) => {
        log(`${req.method} ${url.pathname} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        send(res, {
          status: 500,
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ error: { type: "api_error", message: "The Stripe emulator failed to handle this request." } }),
        });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  emu.publicUrl = (options.publicUrl ?? url).replace(/\/+$/, "");

  return {
    url,
    port,
    close: async () => {
      webhooks.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
