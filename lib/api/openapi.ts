import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import type { ErrorCode } from "@/lib/errors";
import { entitlementCheckBody } from "@/lib/teams/schemas";
import {
  checkBody,
  commitBody,
  refundBody,
  reserveBody,
  setBudgetBody,
  trackBody,
  upsertWorkspaceBody,
  usageQuery,
  workspaceOnlyBody,
} from "@/lib/metering/schemas";
import {
  balanceResponseSchema,
  budgetDeletedSchema,
  budgetListSchema,
  budgetSchema,
  checkResponseSchema,
  commitResponseSchema,
  entitlementCheckResponseSchema,
  entitlementsResponseSchema,
  errorSchemaFor,
  pricingResponseSchema,
  refundResponseSchema,
  releaseResponseSchema,
  reservationResponse,
  trackChargedResponse,
  trackHeldReplayResponse,
  trackPaidResponse,
  trackQueuedResponse,
  usageEventSchema,
  usagePageSchema,
  workspaceUpsertResponseSchema,
  x402CreditsResponseSchema,
  x402SettledNotRecordedSchema,
  x402StatusResponseSchema,
} from "@/lib/metering/response-schemas";
import {
  createPortalSessionBody,
  embedOriginsBody,
  embedOriginsResponseSchema,
  portalSessionResponseSchema,
  portalSessionRevokedSchema,
  revokePortalSessionBody,
} from "@/lib/portal-sessions/schemas";

/**
 * The OpenAPI 3.1 document of the metering API (GET /api/v1/openapi.json), generated from the zod
 * schemas the routes validate requests with (lib/metering/schemas.ts) and build responses with
 * (lib/metering/response-schemas.ts). Every operation lists each status it can answer, the body of each,
 * and the headers sent with it. test/integration/openapi.test.ts checks its paths equal the route files;
 * test/integration/contract.ts validates every response the integration suite sees against it.
 */

/** Header names the API sends, by the response they come with. */
type HeaderName = "RateLimit" | "Retry-After" | "PAYMENT-REQUIRED" | "PAYMENT-RESPONSE" | "Cache-Control";
type Reply = { description: string; schema: z.ZodType; headers?: HeaderName[] };

type Op = {
  operationId: string;
  tag: string;
  method: RouteConfig["method"];
  path: string;
  summary: string;
  description: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  params?: z.ZodObject;
  ok: Record<number, Reply>;
  /** Error statuses beside those every authenticated route can answer (400, 401, 403, 404, 429, 500; 413 and 415 with a body). */
  errors: number[];
  /** The error codes of a status when fewer than all of that status's (default for metered 429s: rate_limited). */
  codes?: Partial<Record<number, ErrorCode[]>>;
  /** false: public, outside the /api/v1 wrapper (no key, no RateLimit headers). */
  auth?: boolean;
  /** x402: takes an optional PAYMENT-SIGNATURE; answers 402 with PAYMENT-REQUIRED and a paid 2xx with PAYMENT-RESPONSE. */
  x402?: boolean;
};

const idParam = z.object({ id: z.string().openapi({ example: "cmevt0000000000000000001" }) });

const paymentSignature = z.object({
  "PAYMENT-SIGNATURE": z.string().optional().openapi({
    description: "x402 v2 payment payload (base64 JSON), signed by the paying wallet for the requirements of a PAYMENT-REQUIRED header.",
  }),
});

type HeaderObject = {
  description: string;
  required?: boolean;
  schema: { type: "string" | "integer"; minimum?: number; example?: string | number };
};
const RATE_LIMIT_HEADERS: Record<string, HeaderObject> = {
  "RateLimit-Limit": {
    description:
      "Calls this key may make in the current hourly window (its hourly cap for track and reservations, 3,600 for the other calls).",
    schema: { type: "integer", minimum: 0, example: 60 },
  },
  "RateLimit-Remaining": { description: "Calls left in the window.", schema: { type: "integer", minimum: 0, example: 59 } },
  "RateLimit-Reset": { description: "Seconds until the window resets.", schema: { type: "integer", minimum: 0, example: 1800 } },
  "RateLimit-Policy": {
    description: 'The window as an IETF RateLimit-Policy field: "hourly";q=<limit>;w=3600.',
    schema: { type: "string", example: '"hourly";q=60;w=3600' },
  },
  RateLimit: {
    description: 'The IETF RateLimit field: "hourly";r=<remaining>;t=<seconds to reset>.',
    schema: { type: "string", example: '"hourly";r=59;t=1800' },
  },
};
const HEADERS: Record<Exclude<HeaderName, "RateLimit">, HeaderObject> = {
  "Retry-After": {
    description: "Seconds to wait before retrying (window reset, credit reset, or the soonest hold expiry).",
    schema: { type: "integer", minimum: 1, example: 30 },
  },
  "PAYMENT-REQUIRED": {
    description: "x402 v2 payment requirements (base64 JSON): scheme exact, USDC on Base, amount in atomic units (credits × 10,000).",
    schema: { type: "string" },
  },
  "PAYMENT-RESPONSE": {
    description: "x402 settlement (base64 JSON): success, transaction hash, network, payer.",
    schema: { type: "string" },
  },
  "Cache-Control": { description: "no-store: prices are read live.", schema: { type: "string", example: "no-store" } },
};
const REQUEST_ID: HeaderObject = {
  description:
    "The request's id (the caller's X-Request-Id when sane, else a new UUID), also on every log line of the request. Set by the server in front of the routes.",
  schema: { type: "string" },
};

const chargeHeaders: HeaderName[] = ["RateLimit"];
const ops: Op[] = [
  {
    operationId: "track",
    tag: "Metering",
    method: "post",
    path: "/api/v1/track",
    summary: "Debit an action",
    description:
      "Charges the action's price × quantity. 201 charged; 200 the stored answer of an earlier call with the same idempotency_key; 202 queued (queue policy: charged first-in first-out when credits arrive). Out of credits: 402 insufficient_credits (reject policy) or 429 credits_exhausted with Retry-After (rate_limit policy); with x402 on, both also offer to pay this one call in USDC (PAYMENT-REQUIRED), and a retry with the agent's PAYMENT-SIGNATURE is answered 201 paid_by x402 with PAYMENT-RESPONSE.",
    body: trackBody,
    ok: {
      201: {
        description: "Charged, or paid with x402 (paid_by: x402, PAYMENT-RESPONSE)",
        schema: z.union([trackChargedResponse, trackPaidResponse]),
        headers: [...chargeHeaders, "PAYMENT-RESPONSE"],
      },
      200: {
        description: "Idempotent repeat: the first result, replayed: true",
        schema: z.union([trackChargedResponse, trackQueuedResponse, trackHeldReplayResponse]),
        headers: chargeHeaders,
      },
      202: { description: "Queued until credits arrive", schema: trackQueuedResponse, headers: chargeHeaders },
    },
    errors: [402, 409, 422, 503],
    codes: { 402: ["insufficient_credits", "budget_exceeded", "payment_invalid"], 429: ["rate_limited", "credits_exhausted"] },
    x402: true,
  },
  {
    operationId: "check",
    tag: "Metering",
    method: "post",
    path: "/api/v1/check",
    summary: "Dry run: allowed, cost, remaining after",
    description:
      "What a track of this action would do now (charge, queue or deny), its cost and what would remain. Writes nothing; counts against the read limit, not the action cap.",
    body: checkBody,
    ok: { 200: { description: "The outcome a debit would have now", schema: checkResponseSchema, headers: chargeHeaders } },
    errors: [422],
  },
  {
    operationId: "reserve",
    tag: "Reservations",
    method: "post",
    path: "/api/v1/reservations",
    summary: "Hold credits for async work",
    description:
      "Holds the action's reserve price (or estimate) until committed or released; an unfinished hold expires. Counts against the action cap. At most max_pending holds per key: 429 too_many_pending with Retry-After (the soonest expiry).",
    body: reserveBody,
    ok: {
      201: { description: "Held", schema: reservationResponse, headers: chargeHeaders },
      200: { description: "Idempotent repeat: the first result, replayed: true", schema: reservationResponse, headers: chargeHeaders },
    },
    errors: [402, 409, 422, 503],
    codes: {
      402: ["insufficient_credits", "budget_exceeded"],
      429: ["rate_limited", "credits_exhausted", "too_many_pending"],
      503: ["overloaded"],
    },
  },
  {
    operationId: "commitReservation",
    tag: "Reservations",
    method: "post",
    path: "/api/v1/reservations/{id}/commit",
    summary: "Charge the actual credits of a reservation",
    description:
      "Charges `actual` (may exceed the hold: the extra is drawn from the balance, and short: true says what could not be charged) and releases the rest. Committing twice answers the first result.",
    params: idParam,
    body: commitBody,
    ok: { 200: { description: "Committed", schema: commitResponseSchema, headers: chargeHeaders } },
    errors: [402, 409],
    codes: { 402: ["insufficient_credits", "budget_exceeded"] },
  },
  {
    operationId: "releaseReservation",
    tag: "Reservations",
    method: "post",
    path: "/api/v1/reservations/{id}/release",
    summary: "Release a reservation's hold",
    description: "The work failed: returns the whole hold. Releasing twice is harmless (replayed: true).",
    params: idParam,
    body: workspaceOnlyBody,
    ok: { 200: { description: "Released", schema: releaseResponseSchema, headers: chargeHeaders } },
    errors: [409],
  },
  {
    operationId: "getEvent",
    tag: "Usage",
    method: "get",
    path: "/api/v1/events/{id}",
    summary: "One usage event and its status",
    description: "A queued event reports when it was charged (charged_at).",
    params: idParam,
    query: workspaceOnlyBody,
    ok: { 200: { description: "The event", schema: usageEventSchema, headers: chargeHeaders } },
    errors: [],
  },
  {
    operationId: "refundEvent",
    tag: "Usage",
    method: "post",
    path: "/api/v1/events/{id}/refund",
    summary: "Refund a completed event",
    description:
      "Credits return to the grants they came from (to a bonus grant when those have expired). Refunding twice is harmless (replayed: true).",
    params: idParam,
    body: refundBody,
    ok: { 200: { description: "Refunded (or already refunded)", schema: refundResponseSchema, headers: chargeHeaders } },
    errors: [409],
  },
  {
    operationId: "getBalance",
    tag: "Balance",
    method: "get",
    path: "/api/v1/balance",
    summary: "Remaining, used, held, reset date and breakdown",
    description:
      "Spendable credits by grant type, what is held by reservations and queued, what was used this period and by category, and when the period resets.",
    query: workspaceOnlyBody,
    ok: { 200: { description: "The balance", schema: balanceResponseSchema, headers: chargeHeaders } },
    errors: [],
  },
  {
    operationId: "listBudgets",
    tag: "Budgets",
    method: "get",
    path: "/api/v1/budgets",
    summary: "Credit budgets and what each has spent this period",
    description:
      "Budgets limit what the workspace, one of its API keys or one of its members may spend per calendar day, week or month (UTC) or in all. spent counts charged credits and pending holds; refunds and releases give them back. A call that would pass a hard budget is refused with 402 budget_exceeded.",
    query: workspaceOnlyBody,
    ok: { 200: { description: "Every budget of the workspace", schema: budgetListSchema, headers: chargeHeaders } },
    errors: [],
  },
  {
    operationId: "setBudget",
    tag: "Budgets",
    method: "put",
    path: "/api/v1/budgets",
    summary: "Set the budget of the workspace, a key or a member",
    description:
      "One budget per subject: setting it again replaces its period, mode and limit (what was spent stays counted). limit in credits, or limit_percent of the plan's monthly allowance for a workspace budget.",
    body: setBudgetBody,
    ok: { 200: { description: "The budget as it stands now", schema: budgetSchema, headers: chargeHeaders } },
    errors: [],
  },
  {
    operationId: "deleteBudget",
    tag: "Budgets",
    method: "delete",
    path: "/api/v1/budgets/{id}",
    summary: "Remove a budget",
    description: "Calls are no longer limited by it.",
    params: idParam,
    query: workspaceOnlyBody,
    ok: { 200: { description: "Removed", schema: budgetDeletedSchema, headers: chargeHeaders } },
    errors: [],
  },
  {
    operationId: "listUsage",
    tag: "Usage",
    method: "get",
    path: "/api/v1/usage",
    summary: "Usage events, newest first, with cursor pagination",
    description: "Filter by time, action, status, member and key. Pass next_cursor as cursor for the next (older) page until it is null.",
    query: usageQuery,
    ok: { 200: { description: "A page of events", schema: usagePageSchema, headers: chargeHeaders } },
    errors: [],
  },
  {
    operationId: "upsertWorkspace",
    tag: "Workspaces",
    method: "put",
    path: "/api/v1/workspaces/{external_id}",
    summary: "Create or find a customer's workspace (platform keys)",
    description:
      "Platform keys only: the workspace of one of your customers, named by your id for them. 201 created, 200 already existed; owner_email invites its owner.",
    params: z.object({ external_id: z.string().openapi({ example: "customer-42" }) }),
    body: upsertWorkspaceBody,
    ok: {
      201: { description: "Created", schema: workspaceUpsertResponseSchema, headers: chargeHeaders },
      200: { description: "Already existed", schema: workspaceUpsertResponseSchema, headers: chargeHeaders },
    },
    errors: [422],
  },
  {
    operationId: "createPortalSession",
    tag: "Portal sessions",
    method: "post",
    path: "/api/v1/portal_sessions",
    summary: "A single-use billing link for one of your users",
    description:
      "Call from your backend, never from a browser. Answers a URL to open once within 5 minutes (expires_at): /portal/{token} (mode hosted, a full page with a “Back to <product>” link to return_url) or /embed/{token} (mode embedded, for an iframe on one of the key's allowed origins, see /api/v1/embed_origins). Opening it starts a billing session of one hour for that user, with what their role allows: owners buy plans and packs, members see them, viewers see neither. A used, expired or revoked link shows a page asking the user to reopen billing from your product. Platform keys name the workspace (workspace_id or external_id); workspace keys act on their own. Every creation, opening, refused reuse, purchase and revocation is audited.",
    body: createPortalSessionBody,
    ok: {
      201: {
        description: "The link (single use, expires unused at expires_at)",
        schema: portalSessionResponseSchema,
        headers: chargeHeaders,
      },
    },
    errors: [],
  },
  {
    operationId: "revokePortalSession",
    tag: "Portal sessions",
    method: "post",
    path: "/api/v1/portal_sessions/{id}/revoke",
    summary: "End a billing link or session at once",
    description:
      "The link stops opening and an open session stops refreshing (the page says it expired). Revoking twice is harmless (replayed: true).",
    params: idParam,
    body: revokePortalSessionBody,
    ok: { 200: { description: "Revoked (or already revoked)", schema: portalSessionRevokedSchema, headers: chargeHeaders } },
    errors: [],
  },
  {
    operationId: "getEmbedOrigins",
    tag: "Portal sessions",
    method: "get",
    path: "/api/v1/embed_origins",
    summary: "The origins that may frame this key's embedded billing",
    description:
      "The pages (scheme://host[:port]) allowed to show /embed/{token} links made with this key in an iframe: the embed's Content-Security-Policy frame-ancestors lists exactly them, so any other site is refused by the browser. Operators set them in /admin (platform keys) and owners in Settings → API keys (workspace keys).",
    ok: { 200: { description: "This key's origins", schema: embedOriginsResponseSchema, headers: chargeHeaders } },
    errors: [],
  },
  {
    operationId: "setEmbedOrigins",
    tag: "Portal sessions",
    method: "put",
    path: "/api/v1/embed_origins",
    summary: "Replace the origins that may frame this key's embedded billing",
    description:
      "Replaces the list (at most 10, each exactly scheme://host[:port], http or https). It applies at once, to links already made too. An empty list frames nowhere (hosted links still work). Audited.",
    body: embedOriginsBody,
    ok: { 200: { description: "The origins now allowed, normalised", schema: embedOriginsResponseSchema, headers: chargeHeaders } },
    errors: [],
  },
  {
    operationId: "getEntitlements",
    tag: "Entitlements",
    method: "get",
    path: "/api/v1/entitlements",
    summary: "The plan's limits",
    description: "Seats (used and available) and named entitlements (null = unlimited).",
    query: workspaceOnlyBody,
    ok: { 200: { description: "Seats and entitlements", schema: entitlementsResponseSchema, headers: chargeHeaders } },
    errors: [],
  },
  {
    operationId: "checkEntitlement",
    tag: "Entitlements",
    method: "post",
    path: "/api/v1/entitlements/check",
    summary: "Dry run: may the workspace have this many of an entitlement?",
    description:
      "E.g. a 6th artist: 200 with allowed true/false; when not allowed, the next plan that allows it and an upgrade link. Writes nothing.",
    body: entitlementCheckBody,
    ok: {
      200: {
        description: "allowed, limit, remaining_after; when not allowed, the next plan and an upgrade link",
        schema: entitlementCheckResponseSchema,
        headers: chargeHeaders,
      },
    },
    errors: [422],
  },
  {
    operationId: "getPricing",
    tag: "Pricing",
    method: "get",
    path: "/api/v1/pricing",
    summary: "Public price list: actions, plans, packs",
    description: "Read live from the database: a price edit shows at once. No key needed.",
    ok: { 200: { description: "Prices, live from the database", schema: pricingResponseSchema, headers: ["Cache-Control"] } },
    errors: [500],
    auth: false,
  },
  {
    operationId: "getOpenApi",
    tag: "Meta",
    method: "get",
    path: "/api/v1/openapi.json",
    summary: "This document",
    description: "The OpenAPI 3.1 document of this API.",
    ok: { 200: { description: "OpenAPI 3.1", schema: z.record(z.string(), z.unknown()) } },
    errors: [],
    auth: false,
  },
  {
    operationId: "buyCreditsX402",
    tag: "x402",
    method: "post",
    path: "/api/x402/credits",
    summary: "Buy a credit pack with x402 (USDC on Base)",
    description:
      "The payment is the authentication: the wallet's workspace is made on its first payment and its API key returned once. Unpaid: 402 payment_required with PAYMENT-REQUIRED. 300 requests per client address and hour.",
    body: z.object({ pack_id: z.string() }),
    ok: {
      201: {
        description: "Paid; the wallet's workspace was created (api_key shown once)",
        schema: x402CreditsResponseSchema,
        headers: ["PAYMENT-RESPONSE"],
      },
      200: {
        description: "Paid; credits added to the wallet's workspace",
        schema: x402CreditsResponseSchema,
        headers: ["PAYMENT-RESPONSE"],
      },
      202: {
        description: "Paid (settled on chain) but not recorded yet: the credits are added automatically within minutes; do not pay again",
        schema: x402SettledNotRecordedSchema,
        headers: ["PAYMENT-RESPONSE"],
      },
    },
    errors: [400, 402, 404, 409, 413, 415, 429, 500, 503],
    codes: { 402: ["payment_required", "payment_invalid"], 429: ["rate_limited"] },
    auth: false,
    x402: true,
  },
  {
    operationId: "getX402Status",
    tag: "x402",
    method: "get",
    path: "/api/x402/status",
    summary: "Pay-per-call status and per-tool USDC prices",
    description: "Whether x402 is on, where agents pay (POST /api/v1/track with PAYMENT-SIGNATURE), and each tool's ceiling quote in USDC.",
    ok: {
      200: {
        description: "enabled, endpoint, network, token, pricing_model, enabled_tools",
        schema: x402StatusResponseSchema,
        headers: ["Cache-Control"],
      },
    },
    errors: [500],
    auth: false,
  },
];

/**
 * Error statuses of one operation: what the /api/v1 wrapper can answer for every route, and the
 * operation's own. The wrapper reads a body on every method but GET (a DELETE sent one gets 413 or 415
 * too, like a POST).
 */
export function errorStatuses(op: Pick<Op, "errors" | "auth" | "body" | "method">): number[] {
  const readsBody = Boolean(op.body) || op.method !== "get";
  const common = op.auth === false ? [] : [400, 401, 403, 404, 429, 500, ...(readsBody ? [413, 415] : [])];
  return [...new Set([...common, ...op.errors])].sort((a, b) => a - b);
}

/** Code samples per operation (x-codeSamples, shown by Redoc and other viewers): curl beside the typed client. */
const BASE = "$CREDITBOOK_URL";
const AUTH = `-H "Authorization: Bearer $CREDITBOOK_KEY"`;
const JSON_AUTH = `${AUTH} -H "Content-Type: application/json"`;
const SAMPLES: Record<string, [curl: string, client: string]> = {
  track: [
    `curl -X POST ${BASE}/api/v1/track ${JSON_AUTH} \\\n  -d '{"action": "aria.chat", "idempotency_key": "conversation-8f2c"}'`,
    `await credits.track({ action: "aria.chat", idempotency_key: "conversation-8f2c" });`,
  ],
  check: [
    `curl -X POST ${BASE}/api/v1/check ${JSON_AUTH} -d '{"action": "video.generate"}'`,
    `const { allowed, cost } = await credits.check({ action: "video.generate" });`,
  ],
  reserve: [
    `curl -X POST ${BASE}/api/v1/reservations ${JSON_AUTH} -d '{"action": "stems.separate"}'`,
    `const hold = await credits.reserve({ action: "stems.separate" });\nawait hold.commit(12); // or hold.release()\n// or: await credits.withReservation("stems.separate", undefined, async () => separate(track)); // fn returns the actual`,
  ],
  commitReservation: [
    `curl -X POST ${BASE}/api/v1/reservations/$RESERVATION_ID/commit ${JSON_AUTH} -d '{"actual": 12}'`,
    `await credits.commit(reservationId, 12);`,
  ],
  releaseReservation: [
    `curl -X POST ${BASE}/api/v1/reservations/$RESERVATION_ID/release ${JSON_AUTH} -d '{}'`,
    `await credits.release(reservationId);`,
  ],
  getEvent: [`curl ${BASE}/api/v1/events/$EVENT_ID ${AUTH}`, `const event = await credits.event(eventId);`],
  refundEvent: [
    `curl -X POST ${BASE}/api/v1/events/$EVENT_ID/refund ${JSON_AUTH} -d '{"reason": "failed render"}'`,
    `await credits.refund(eventId, { reason: "failed render" });`,
  ],
  getBalance: [`curl ${BASE}/api/v1/balance ${AUTH}`, `const { remaining, reset_at } = await credits.balance();`],
  listBudgets: [
    `curl ${BASE}/api/v1/budgets ${AUTH}`,
    `for (const b of await credits.budgets.list()) console.log(b.scope, b.spent, b.limit);`,
  ],
  setBudget: [
    `curl -X PUT ${BASE}/api/v1/budgets ${JSON_AUTH} \\\n  -d '{"scope": "api_key", "api_key_id": "$KEY_ID", "period": "day", "limit": 500}'`,
    `await credits.budgets.set({ scope: "api_key", api_key_id: keyId, period: "day", limit: 500 });`,
  ],
  deleteBudget: [`curl -X DELETE ${BASE}/api/v1/budgets/$BUDGET_ID ${AUTH}`, `await credits.budgets.delete(budgetId);`],
  listUsage: [
    `curl "${BASE}/api/v1/usage?action=aria.chat&limit=50" ${AUTH}`,
    `for await (const event of credits.usage({ action: "aria.chat" })) console.log(event.id, event.credits);`,
  ],
  upsertWorkspace: [
    `curl -X PUT ${BASE}/api/v1/workspaces/customer-42 ${JSON_AUTH} -d '{"name": "Customer 42"}'`,
    `await platform.workspaces.upsert("customer-42", { name: "Customer 42" });\nawait platform.forWorkspace({ external_id: "customer-42" }).track({ action: "image.generate" });`,
  ],
  createPortalSession: [
    `curl -X POST ${BASE}/api/v1/portal_sessions ${JSON_AUTH} \\\n  -d '{"external_id": "customer-42", "user": {"id": "u_1", "email": "ada@example.com", "role": "owner"}, "mode": "embedded", "product_name": "Patchline"}'`,
    `const { url } = await createPortalSession(platform, { external_id: "customer-42", user: { id: "u_1", email: "ada@example.com", role: "owner" }, mode: "embedded", product_name: "Patchline" });`,
  ],
  getEmbedOrigins: [`curl ${BASE}/api/v1/embed_origins ${AUTH}`, `const { origins } = await platform.embedOrigins.get();`],
  setEmbedOrigins: [
    `curl -X PUT ${BASE}/api/v1/embed_origins ${JSON_AUTH} -d '{"origins": ["https://app.example.com"]}'`,
    `await platform.embedOrigins.set(["https://app.example.com"]);`,
  ],
  revokePortalSession: [
    `curl -X POST ${BASE}/api/v1/portal_sessions/$PORTAL_SESSION_ID/revoke ${JSON_AUTH} -d '{}'`,
    `await credits.portalSessions.revoke(portalSessionId);`,
  ],
  getEntitlements: [`curl ${BASE}/api/v1/entitlements ${AUTH}`, `const { seats, entitlements } = await credits.entitlements();`],
  checkEntitlement: [
    `curl -X POST ${BASE}/api/v1/entitlements/check ${JSON_AUTH} -d '{"key": "roster.artists", "current": 5, "add": 1}'`,
    `const { allowed, upgrade_url } = await credits.checkEntitlement({ key: "roster.artists", current: 5, add: 1 });`,
  ],
  getPricing: [`curl ${BASE}/api/v1/pricing`, `const { actions, plans, packs } = await credits.pricing();`],
};

const DESCRIPTION = `Debit, check, reserve and refund credits for AI actions; pay per call or buy credits with x402 (USDC on Base).

**Authentication.** \`Authorization: Bearer <key>\`: a workspace key (cb_live_…) acts on its own workspace; a platform key (cb_plat_…) names the workspace in each call with \`workspace_id\` or \`external_id\` (body, or query on GET).

**Errors.** Every error is \`{"error": {"code", "message", "retryable", "actionable_next_step"?, …details}}\`; the codes of each status are listed as an enum. \`retryable: true\` means the same request may succeed later unchanged: retry with backoff, waiting at least Retry-After. Never retry 402 or 403 without changing something first.

**Idempotency.** \`track\` and \`reservations\` take an \`idempotency_key\` (≤ 200 characters, unique per workspace). A repeat with the same key, action and quantity charges nothing again and answers 200 with the first result and \`replayed: true\`; the same key with a different action or quantity is 409 idempotency_conflict. Commit, release and refund are idempotent by the reservation or event id. Always send a key and reuse it when you retry after a timeout or dropped connection: the call is then charged at most once.

**Rate limits.** Fixed hourly windows aligned to the clock hour, counted in PostgreSQL (shared by every server instance). track and reservations count against the key's hourly cap (default 60; platform keys per workspace); every other call against 3,600 an hour. Each counted response carries RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy and RateLimit; over the limit is 429 rate_limited with Retry-After.

**Out of credits.** Each action has a policy (GET /api/v1/pricing, out_of_credits): reject → 402 insufficient_credits (not retryable: buy a pack or upgrade; the error has required, remaining, reset_at, buy_pack_url, upgrade_url, next_plan); rate_limit → 429 credits_exhausted with Retry-After until the period resets; queue → 202 queued, charged first-in first-out when credits arrive. A call that would pass a hard budget (GET /api/v1/budgets: the workspace's, the key's or the member's) is 402 budget_exceeded whatever the policy, naming the budget and when it resets. With x402 on, a 402/429 on track also carries PAYMENT-REQUIRED and an x402 detail: retry with PAYMENT-SIGNATURE to pay that one call in USDC.`;

let cached: ReturnType<OpenApiGeneratorV31["generateDocument"]> | undefined;

const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

export function openApiDocument(baseUrl: string) {
  if (!cached) {
    const registry = new OpenAPIRegistry();
    const bearer = registry.registerComponent("securitySchemes", "apiKey", {
      type: "http",
      scheme: "bearer",
      description: "A workspace or platform API key (cb_live_… / cb_plat_…).",
    });
    // Headers of 2xx answers, required; errors list them inline as optional (sent once the limit was counted).
    for (const [name, header] of [...Object.entries(RATE_LIMIT_HEADERS), ...Object.entries(HEADERS)]) {
      registry.registerComponent("headers", name, { ...header, required: name !== "PAYMENT-RESPONSE" && name !== "Retry-After" });
    }
    registry.registerComponent("headers", "X-Request-Id", REQUEST_ID);
    const optional = (names: HeaderName[]) =>
      Object.fromEntries(
        names
          .flatMap((n): [string, HeaderObject][] => (n === "RateLimit" ? Object.entries(RATE_LIMIT_HEADERS) : [[n, HEADERS[n]]]))
          .map(([n, h]) => [n, { ...h, required: false }]),
      );
    // One response component per error status (and a 402 with the x402 offer), so operations refer to them.
    const errorResponses = new Map<string, { $ref: string }>();
    /** The response component of an error status, narrowed to `codes` when the operation names them; registered on first use. */
    const errorResponse = (status: number, codes: ErrorCode[] | undefined, payment: boolean) => {
      const schemaName = `Error${status}${codes ? codes.map(pascal).join("Or") : ""}`;
      const name = `${schemaName}${payment ? "Payment" : ""}`;
      if (!errorResponses.has(name)) {
        if (!errorResponses.has(`schema:${schemaName}`)) {
          registry.register(schemaName, errorSchemaFor(status, codes));
          errorResponses.set(`schema:${schemaName}`, { $ref: "" });
        }
        // 402 and 429 of x402 operations may carry the x402 offer (PAYMENT-REQUIRED).
        const headers: Record<string, unknown> = {
          ...optional(payment ? ["RateLimit", "PAYMENT-REQUIRED"] : ["RateLimit"]),
          "X-Request-Id": headerRef("X-Request-Id"),
        };
        if (status === 429) headers["Retry-After"] = { ...HEADERS["Retry-After"], required: true };
        // 503 overloaded (the metering hot path shed the call) says when to retry.
        if (status === 503) headers["Retry-After"] = { ...HEADERS["Retry-After"], required: false };
        const component = registry.registerComponent("responses", name, {
          description: errorDescription(status, codes),
          headers: headers as Record<string, HeaderObject>,
          content: { "application/json": { schema: { $ref: `#/components/schemas/${schemaName}` } } },
        });
        errorResponses.set(name, component.ref);
      }
      return errorResponses.get(name)!;
    };
    // Every status's full code list, for clients that handle any error (packages/client's ErrorBody).
    for (const status of [...new Set(ops.flatMap((op) => errorStatuses(op)))].sort()) errorResponse(status, undefined, false);
    for (const op of ops) {
      const headersOf = (names: HeaderName[] = []) => ({
        ...Object.fromEntries(
          names.flatMap((n) => (n === "RateLimit" ? Object.keys(RATE_LIMIT_HEADERS) : [n])).map((n) => [n, headerRef(n)]),
        ),
        "X-Request-Id": headerRef("X-Request-Id"),
      });
      registry.registerPath({
        operationId: op.operationId,
        tags: [op.tag],
        method: op.method,
        path: op.path,
        summary: op.summary,
        description: op.description,
        ...(SAMPLES[op.operationId]
          ? {
              "x-codeSamples": [
                { lang: "Shell", label: "curl", source: SAMPLES[op.operationId]![0] },
                { lang: "TypeScript", label: "@creditbook/client", source: SAMPLES[op.operationId]![1] },
              ],
            }
          : {}),
        security: op.auth === false ? [] : [{ [bearer.name]: [] }],
        request: {
          ...(op.params ? { params: op.params } : {}),
          ...(op.x402 ? { headers: paymentSignature } : {}),
          ...(op.query ? { query: op.query } : {}),
          ...(op.body ? { body: { required: true, content: { "application/json": { schema: op.body } } } } : {}),
        },
        responses: {
          ...Object.fromEntries(
            Object.entries(op.ok).map(([status, reply]) => [
              status,
              {
                description: reply.description,
                headers: headersOf(reply.headers),
                content: { "application/json": { schema: reply.schema } },
              },
            ]),
          ),
          ...Object.fromEntries(
            errorStatuses(op).map((status) => [
              status,
              errorResponse(status, codesOf(op, status), Boolean(op.x402) && (status === 402 || status === 429)),
            ]),
          ),
        },
      });
    }
    cached = new OpenApiGeneratorV31(registry.definitions).generateDocument({
      openapi: "3.1.0",
      info: { title: "Creditbook metering API", version: "1.0.0", description: DESCRIPTION },
      servers: [{ url: baseUrl }],
      tags: [
        { name: "Metering", description: "Debit and dry-run actions." },
        { name: "Reservations", description: "Hold credits for async work, then commit the actual or release." },
        { name: "Usage", description: "Events, their status, and refunds." },
        { name: "Balance", description: "What is left and what was used." },
        { name: "Budgets", description: "Spend limits per workspace, API key and member." },
        { name: "Workspaces", description: "Platform keys: your customers' workspaces." },
        { name: "Entitlements", description: "Plan limits: seats and named entitlements." },
        { name: "Portal sessions", description: "Billing inside your product: single-use links to a hosted or embedded billing page." },
        { name: "Pricing", description: "The public price list." },
        { name: "x402", description: "Pay per call or buy credits in USDC." },
        { name: "Meta", description: "This document." },
      ],
    });
  }
  return cached;
}

function errorDescription(status: number, codes?: ErrorCode[]): string {
  return `Error: ${(codes ?? (errorSchemaFor(status).shape.error.shape.code.options as ErrorCode[])).join(", ")}`;
}

const pascal = (code: string) => code.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());

/** The codes an operation answers with a status: its own list, else every code of that status (429 of a metered call: rate_limited). */
function codesOf(op: Op, status: number): ErrorCode[] | undefined {
  return op.codes?.[status] ?? (status === 429 && op.auth !== false ? ["rate_limited"] : undefined);
}

export const OPENAPI_PATHS = ops.map((op) => op.path);
