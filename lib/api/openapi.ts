import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { ERROR_STATUS } from "@/lib/errors";
import { entitlementCheckBody } from "@/lib/teams/schemas";
import { checkBody, commitBody, refundBody, reserveBody, trackBody, upsertWorkspaceBody, usageQuery, workspaceOnlyBody } from "@/lib/metering/schemas";

extendZodWithOpenApi(z);

/**
 * The OpenAPI 3.1 document of the metering API, generated from the same zod schemas the routes
 * validate with (GET /api/v1/openapi.json). A test checks its paths equal the route files.
 */
const errorSchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]),
    message: z.string(),
    retryable: z.boolean(),
    actionable_next_step: z.string().optional(),
  }),
});
const anyObject = z.record(z.string(), z.unknown());
const idParam = z.object({ id: z.string() });

type Op = {
  method: RouteConfig["method"];
  path: string;
  summary: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  params?: z.ZodObject;
  ok: Record<number, string>;
  errors: number[];
  auth?: boolean;
  /** x402: takes an optional PAYMENT-SIGNATURE; answers 402 with PAYMENT-REQUIRED and a paid 2xx with PAYMENT-RESPONSE. */
  x402?: boolean;
};

const paymentSignature = z.object({
  "PAYMENT-SIGNATURE": z
    .string()
    .optional()
    .openapi({ description: "x402 v2 payment payload (base64 JSON), signed by the paying wallet for the requirements of a PAYMENT-REQUIRED header." }),
});
const paymentRequiredHeader = { "PAYMENT-REQUIRED": { description: "x402 v2 payment requirements (base64 JSON): scheme exact, USDC on Base, amount in atomic units (credits × 10,000).", schema: { type: "string" as const } } };
const paymentResponseHeader = { "PAYMENT-RESPONSE": { description: "x402 settlement (base64 JSON): success, transaction hash, network, payer.", schema: { type: "string" as const } } };

const ops: Op[] = [
  { method: "post", path: "/api/v1/track", summary: "Debit an action (out of credits: pay this one call with x402 by forwarding the agent's PAYMENT-SIGNATURE)", body: trackBody, ok: { 201: "Charged, or paid with x402 (paid_by: x402, PAYMENT-RESPONSE)", 200: "Idempotent repeat: the first result", 202: "Queued until credits arrive" }, errors: [400, 401, 402, 403, 409, 413, 415, 422, 429, 503], x402: true },
  { method: "post", path: "/api/v1/check", summary: "Dry run: allowed, cost, remaining after", body: checkBody, ok: { 200: "The outcome a debit would have now" }, errors: [400, 401, 403, 422, 429] },
  { method: "post", path: "/api/v1/reservations", summary: "Hold credits for async work", body: reserveBody, ok: { 201: "Held", 200: "Idempotent repeat" }, errors: [400, 401, 402, 403, 409, 422, 429] },
  { method: "post", path: "/api/v1/reservations/{id}/commit", summary: "Charge the actual credits of a reservation", params: idParam, body: commitBody, ok: { 200: "Committed" }, errors: [400, 401, 402, 404, 409, 429] },
  { method: "post", path: "/api/v1/reservations/{id}/release", summary: "Release a reservation's hold", params: idParam, body: workspaceOnlyBody, ok: { 200: "Released" }, errors: [401, 404, 409, 429] },
  { method: "get", path: "/api/v1/events/{id}", summary: "One usage event and its status", params: idParam, query: workspaceOnlyBody, ok: { 200: "The event" }, errors: [401, 404, 429] },
  { method: "post", path: "/api/v1/events/{id}/refund", summary: "Refund a completed event", params: idParam, body: refundBody, ok: { 200: "Refunded (or already refunded)" }, errors: [401, 404, 409, 429] },
  { method: "get", path: "/api/v1/balance", summary: "Remaining, used, held, reset date and breakdown", query: workspaceOnlyBody, ok: { 200: "The balance" }, errors: [401, 429] },
  { method: "get", path: "/api/v1/usage", summary: "Usage events, newest first, with cursor pagination", query: usageQuery, ok: { 200: "A page of events" }, errors: [400, 401, 429] },
  { method: "put", path: "/api/v1/workspaces/{external_id}", summary: "Create or find a customer's workspace (platform keys)", params: z.object({ external_id: z.string() }), body: upsertWorkspaceBody, ok: { 201: "Created", 200: "Already existed" }, errors: [400, 401, 403, 422, 429] },
  { method: "get", path: "/api/v1/entitlements", summary: "The plan's limits: seats (used and available) and named entitlements (null = unlimited)", query: workspaceOnlyBody, ok: { 200: "Seats and entitlements" }, errors: [400, 401, 403, 404, 429] },
  { method: "post", path: "/api/v1/entitlements/check", summary: "Dry run: may the workspace have this many of an entitlement (e.g. a 6th artist)? 200 with allowed true/false", body: entitlementCheckBody, ok: { 200: "allowed, limit, remaining_after; when not allowed, the next plan and an upgrade link" }, errors: [400, 401, 403, 404, 422, 429] },
  { method: "get", path: "/api/v1/pricing", summary: "Public price list: actions, plans, packs", ok: { 200: "Prices, live from the database" }, errors: [], auth: false },
  { method: "get", path: "/api/v1/openapi.json", summary: "This document", ok: { 200: "OpenAPI 3.1" }, errors: [], auth: false },
  { method: "post", path: "/api/x402/credits", summary: "Buy a credit pack with x402 (USDC on Base); the wallet's workspace is made on its first payment and its API key returned once", body: z.object({ pack_id: z.string() }), ok: { 201: "Paid; the wallet's workspace was created (api_key shown once)", 200: "Paid; credits added to the wallet's workspace", 202: "Paid (settled on chain) but not recorded yet: the credits are added automatically within minutes; do not pay again" }, errors: [400, 402, 404, 409, 413, 415, 429, 503], auth: false, x402: true },
  { method: "get", path: "/api/x402/status", summary: "Pay-per-call status and per-tool USDC prices (ceiling quotes)", ok: { 200: "enabled, endpoint, network, token, pricing_model, enabled_tools" }, errors: [], auth: false },
];

let cached: ReturnType<OpenApiGeneratorV31["generateDocument"]> | undefined;

export function openApiDocument(baseUrl: string) {
  if (!cached) {
    const registry = new OpenAPIRegistry();
    const bearer = registry.registerComponent("securitySchemes", "apiKey", { type: "http", scheme: "bearer", description: "A workspace or platform API key (cb_live_… / cb_plat_…)." });
    registry.register("Error", errorSchema);
    for (const op of ops) {
      registry.registerPath({
        method: op.method,
        path: op.path,
        summary: op.summary,
        security: op.auth === false ? [] : [{ [bearer.name]: [] }],
        request: {
          ...(op.params ? { params: op.params } : {}),
          ...(op.x402 ? { headers: paymentSignature } : {}),
          ...(op.query ? { query: op.query } : {}),
          ...(op.body ? { body: { content: { "application/json": { schema: op.body } } } } : {}),
        },
        responses: {
          ...Object.fromEntries(
            Object.entries(op.ok).map(([status, description]) => [status, { description, ...(op.x402 ? { headers: paymentResponseHeader } : {}), content: { "application/json": { schema: anyObject } } }]),
          ),
          ...Object.fromEntries(
            op.errors.map((status) => [
              status,
              { description: errorDescription(status), ...(op.x402 && status === 402 ? { headers: paymentRequiredHeader } : {}), content: { "application/json": { schema: errorSchema } } },
            ]),
          ),
        },
      });
    }
    cached = new OpenApiGeneratorV31(registry.definitions).generateDocument({
      openapi: "3.1.0",
      info: { title: "Creditbook metering API", version: "1.0.0", description: "Debit, check, reserve and refund credits for AI actions; pay per call or buy credits with x402 (USDC on Base)." },
      servers: [{ url: baseUrl }],
    });
  }
  return cached;
}

function errorDescription(status: number): string {
  const codes = Object.entries(ERROR_STATUS)
    .filter(([, s]) => s === status)
    .map(([code]) => code);
  return `Error: ${codes.join(", ")}`;
}

export const OPENAPI_PATHS = ops.map((op) => op.path);
