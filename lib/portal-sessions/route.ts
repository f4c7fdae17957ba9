import type { z } from "zod";
import { errorResponse } from "@/lib/errors";
import { parseJsonBody } from "@/lib/api/body";
import { sessionBySecret, sessionExpired, type PortalView } from "@/lib/portal-sessions/sessions";

/**
 * The header that carries an open portal session's secret. The billing page keeps the secret in memory
 * and sends it with each of its requests to /api/portal/…: no cookie is involved, so the embedded panel
 * works where the browser blocks third-party cookies, and no other site's request can carry it.
 */
export const PORTAL_SECRET_HEADER = "x-creditbook-portal";

/**
 * The wrapper of every /api/portal route: the session from the secret header (401 session_expired when
 * it is over: the page then asks the user to reopen billing), the JSON body validated, the handler's
 * answer as JSON that no cache keeps. Errors come out in the API's one shape.
 */
export function portalRoute<S extends z.ZodType | undefined = undefined>(
  options: { body?: S },
  handler: (ctx: { req: Request; view: PortalView; body: S extends z.ZodType ? z.infer<S> : undefined }) => Promise<unknown>,
) {
  return async (req: Request): Promise<Response> => {
    try {
      const view = await sessionBySecret(req.headers.get(PORTAL_SECRET_HEADER));
      if (!view) throw sessionExpired();
      const body = (options.body ? await parseJsonBody(req, options.body) : undefined) as S extends z.ZodType ? z.infer<S> : undefined;
      return Response.json(await handler({ req, view, body }), { headers: { "Cache-Control": "no-store" } });
    } catch (err) {
      return errorResponse(err, { "Cache-Control": "no-store" });
    }
  };
}
