import { z } from "zod";
import { db } from "@/lib/db";
import { AppError, errorResponse } from "@/lib/errors";
import { isReservedExternalId } from "@/lib/workspaces/external-ids";
import { authenticateKey, type AuthenticatedClient } from "@/lib/metering/keys";
import { countCall, rateLimitHeaders, type LimitKind } from "@/lib/metering/limits";
import type { RateLimitResult } from "@/lib/rate-limit";
import type { ApiResult } from "@/lib/metering/responses";
import type { ApiBody } from "@/lib/metering/response-schemas";
import { containsNul, invalidFields, nulRefused, readJson } from "@/lib/api/body";

/**
 * The one wrapper of every /api/v1 route (the AI product's API): Bearer key → body (JSON, ≤ 64 KB,
 * zod-validated) → the workspace it acts on → the hourly limit → the handler. Errors come out in the
 * documented shape; every response after the limit was counted carries the RateLimit headers.
 */

/** Platform keys name the workspace in each request; workspace keys act on their own. */
export const workspaceSelector = z.object({
  workspace_id: z.string().min(1).max(100).optional(),
  external_id: z.string().min(1).max(200).optional(),
});

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
    if (selector.workspace_id && selector.workspace_id !== client.workspaceId) {
      throw new AppError("forbidden", "This key acts on its own workspace only.", { nextStep: "Omit workspace_id, or use a platform key." });
    }
    if (selector.external_id) throw new AppError("forbidden", "external_id needs a platform key.");
    return client.workspaceId!;
  }
  if (!selector.workspace_id && !selector.external_id) {
    throw new AppError("invalid_request", "Platform keys must name the workspace: workspace_id or external_id.", { details: { field: "workspace_id" } });
  }
  // Both given: they must name the same workspace (never silently act on one of two).
  const workspaces = await db.workspace.findMany({
    where: { OR: [...(selector.workspace_id ? [{ id: selector.workspace_id }] : []), ...(selector.external_id ? [{ externalId: selector.external_id }] : [])] },
    select: { id: true, externalId: true },
    take: 2,
  });
  const workspace = workspaces.find((w) => (!selector.workspace_id || w.id === selector.workspace_id) && (!selector.external_id || w.externalId === selector.external_id));
  if (selector.workspace_id && selector.external_id && !workspace && workspaces.length > 0) {
    throw new AppError("invalid_request", "workspace_id and external_id name different workspaces. Send one of them.", { details: { field: "external_id" } });
  }
  if (!workspace) {
    throw new AppError("not_found", "No such workspace.", {
      nextStep: !selector.external_id
        ? undefined
        : isReservedExternalId(selector.external_id)
          ? "x402:<wallet> workspaces are made by the wallet's first x402 payment (POST /api/x402/credits), not by PUT."
          : "Create it first with PUT /api/v1/workspaces/{external_id}.",
    });
  }
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
      const limit = await countCall({ kind: options.limit, clientId: client.id, workspaceId: workspaceId || null, hourlyCap: client.hourlyCap, platform: client.kind === "PLATFORM" });
      headers = rateLimitHeaders(limit);
      if (!limit.allowed) {
        throw new AppError("rate_limited", `This key made ${limit.limit} ${options.limit === "action" ? "action calls" : "calls"} this hour, its limit.`, {
          nextStep: "Wait until the window resets (Retry-After), or ask the workspace owner to raise the key's hourly cap.",
          details: { limit: limit.limit, reset_at: limit.resetAt.toISOString() },
        });
      }
      const result = await handler({ req, client, workspaceId, body, params, query: url.searchParams, limit });
      return Response.json(result.body, { status: result.status, headers: { ...headers, ...result.headers } });
    } catch (err) {
      if (err instanceof z.ZodError) return errorResponse(invalidFields(err), headers);
      return errorResponse(err, headers);
    }
  };
}
