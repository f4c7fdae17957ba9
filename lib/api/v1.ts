import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { AppError, errorResponse } from "@/lib/errors";
import { authenticateKey, bearerKey, isWellFormedKey, type AuthenticatedClient } from "@/lib/metering/keys";
import { countCall, rateLimitHeaders, rateLimitedError, type LimitKind } from "@/lib/metering/limits";
import { chargeByKey, CountedError, workspaceErrors, workspaceNotFound, type ActionOutcome } from "@/lib/metering/hot-path";
import type { RateLimitResult } from "@/lib/rate-limit";
import type { ApiResult } from "@/lib/metering/responses";
import type { ApiBody } from "@/lib/metering/response-schemas";
import { workspaceSelectorFields } from "@/lib/metering/schemas";
import { containsNul, invalidFields, nulRefused, readJson, readJsonFrom } from "@/lib/api/body";
import { takeRequestBody } from "@/lib/log";

/**
 * The one wrapper of every /api/v1 route (the AI product's API): Bearer key → body (JSON, ≤ 64 KB,
 * zod-validated) → the workspace it acts on → the hourly limit → the handler. Errors come out in the
 * documented shape; every response after the limit was counted carries the RateLimit headers.
 */

/** Platform keys name the workspace in each request; workspace keys act on their own. */
export const workspaceSelector = z.object(workspaceSelectorFields);

export type ApiContext<B, P> = {
  req: Request;
  client: AuthenticatedClient;
  workspaceId: string;
  body: B;
  params: P;
  query: URLSearchParams;
  limit: RateLimitResult;
};

type RouteCtx<P> = { params: Promise<P> };

async function resolveWorkspace(client: AuthenticatedClient, selector: { workspace_id?: string; external_id?: string }): Promise<string> {
  if (client.kind === "WORKSPACE") {
    if (selector.workspace_id && selector.workspace_id !== client.workspaceId) throw workspaceErrors.ownOnly();
    if (selector.external_id) throw workspaceErrors.externalNeedsPlatform();
    return client.workspaceId!;
  }
  if (!selector.workspace_id && !selector.external_id) throw workspaceErrors.required();
  // Both given: they must name the same workspace (never silently act on one of two).
  const workspaces = await db.workspace.findMany({
    where: {
      OR: [
        ...(selector.workspace_id ? [{ id: selector.workspace_id }] : []),
        ...(selector.external_id ? [{ externalId: selector.external_id }] : []),
      ],
    },
    select: { id: true, externalId: true },
    take: 2,
  });
  const workspace = workspaces.find(
    (w) => (!selector.workspace_id || w.id === selector.workspace_id) && (!selector.external_id || w.externalId === selector.external_id),
  );
  if (selector.workspace_id && selector.external_id && !workspace && workspaces.length > 0) throw workspaceErrors.mismatch();
  if (!workspace) throw workspaceNotFound(selector.external_id);
  return workspace.id;
}

export function apiRoute<S extends z.ZodType, P = Record<string, never>>(
  options: { limit: LimitKind; body?: S; workspace?: boolean },
  // Only documented bodies (lib/metering/response-schemas.ts): the OpenAPI document is generated from them.
  handler: (ctx: ApiContext<z.infer<S>, P>) => Promise<ApiResult<ApiBody>>,
) {
  return async (req: Request, routeCtx: RouteCtx<P>): Promise<Response> => {
    let headers: Record<string, string> = {};
    try {
      const client = await authenticateKey(req.headers.get("authorization"));
      const url = new URL(req.url);
      const params = await routeCtx.params;
      if (containsNul(params) || url.search.includes("%00")) throw nulRefused("The URL");
      const raw = req.method === "GET" || req.method === "HEAD" ? {} : await readJson(req);
      let body: z.infer<S> = raw as z.infer<S>;
      if (options.body) {
        const parsed = options.body.safeParse(raw);
        if (!parsed.success) throw invalidFields(parsed.error);
        body = parsed.data;
      }
      const selector = workspaceSelector.parse({
        workspace_id: (raw as Record<string, unknown>)?.workspace_id ?? url.searchParams.get("workspace_id") ?? undefined,
        external_id: (raw as Record<string, unknown>)?.external_id ?? url.searchParams.get("external_id") ?? undefined,
      });
      const workspaceId = options.workspace === false && client.kind === "PLATFORM" ? "" : await resolveWorkspace(client, selector);
      const limit = await countCall({
        kind: options.limit,
        clientId: client.id,
        workspaceId: workspaceId || null,
        hourlyCap: client.hourlyCap,
        platform: client.kind === "PLATFORM",
      });
      headers = rateLimitHeaders(limit);
      if (!limit.allowed) throw rateLimitedError(limit, options.limit);
      const result = await handler({ req, client, workspaceId, body, params, query: url.searchParams, limit });
      return Response.json(result.body, { status: result.status, headers: { ...headers, ...result.headers } });
    } catch (err) {
      if (err instanceof z.ZodError) return errorResponse(invalidFields(err), headers);
      return errorResponse(err, headers);
    }
  };
}

type ActionBody = {
  workspace_id?: string;
  external_id?: string;
  member_email?: string;
  action: string;
  quantity?: number;
  idempotency_key?: string;
  subject?: string;
  metadata?: Record<string, unknown>;
  estimate?: number;
};

/**
 * The wrapper of the action routes (track, reservations): the metering hot path. The body is read and
 * validated first, with no database work; then one call (lib/metering/hot-path.ts) checks the key,
 * resolves the workspace, counts the call against the hourly cap and charges. The answers are the same
 * as apiRoute's, in the same order: a request with a bad body and a bad key is still a 401 (the key is
 * checked on its own before the body's error is answered), and the RateLimit headers come on every
 * response after the call was counted.
 */
export function actionRoute<S extends z.ZodType<ActionBody>>(
  options: {
    body: S;
    /** The body's hand-written check (lib/metering/schemas.ts): zod's output for what it takes, else null and zod answers. */
    accept: (raw: unknown) => z.infer<S> | null;
    hold: boolean;
  },
  handler: (ctx: { req: Request } & ActionOutcome) => Promise<ApiResult<ApiBody>>,
) {
  return async (req: Request): Promise<Response> => {
    let headers: Record<string, string> = {};
    try {
      const key = bearerKey(req.headers.get("authorization"));
      let body: ActionBody;
      let selector: { workspace_id?: string; external_id?: string };
      try {
        // A malformed key never reaches the database: authenticateKey below answers its 401.
        if (!isWellFormedKey(key)) throw new AppError("unauthenticated", "malformed key");
        // The URL is parsed only when it has a query (the common call has none).
        const url = req.url.includes("?") ? new URL(req.url) : null;
        if (url?.search.includes("%00")) throw nulRefused("The URL");
        const raw = await readJsonFrom(req, takeRequestBody());
        const accepted = options.accept(raw);
        if (accepted) body = accepted;
        else {
          const parsed = options.body.safeParse(raw);
          if (!parsed.success) throw invalidFields(parsed.error);
          body = parsed.data;
        }
        // Without a query the selector is the body's own, which its schema has checked alike.
        selector = url
          ? workspaceSelector.parse({
              workspace_id: body.workspace_id ?? url.searchParams.get("workspace_id") ?? undefined,
              external_id: body.external_id ?? url.searchParams.get("external_id") ?? undefined,
            })
          : { workspace_id: body.workspace_id, external_id: body.external_id };
      } catch (refused) {
        // Not the common case: the key is checked on its own first, as apiRoute does.
        await authenticateKey(req.headers.get("authorization"));
        throw refused;
      }
      const outcome = await chargeByKey({
        key,
        workspaceId: selector.workspace_id,
        externalId: selector.external_id,
        action: body.action,
        quantity: body.quantity,
        idempotencyKey: body.idempotency_key,
        subject: body.subject,
        metadata: body.metadata,
        memberEmail: body.member_email,
        hold: options.hold,
        estimate: body.estimate,
      });
      headers = rateLimitHeaders(outcome.limit);
      const result = await handler({ req, ...outcome });
      return Response.json(result.body, { status: result.status, headers: result.headers ? { ...headers, ...result.headers } : headers });
    } catch (err) {
      if (err instanceof CountedError) return errorResponse(err.error, rateLimitHeaders(err.limit));
      if (err instanceof z.ZodError) return errorResponse(invalidFields(err), headers);
      return errorResponse(err, headers);
    }
  };
}
