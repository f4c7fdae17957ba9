import path from "node:path";
import { AppError, errorResponse, type ErrorCode } from "@/lib/errors";
import { appApiRoutes } from "../../scripts/verify/fuzz";
import type { Target } from "../../scripts/verify/support";
import { checkFetchResponse } from "./contract";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/**
 * The app's route handlers (every app/api/**\/route.ts) behind a fetch-like function, so the verify
 * scenarios (scripts/verify/) run in-process in the integration suite: the URL is matched against the
 * route files as Next matches them (static segments before dynamic ones), the params decoded, and the
 * exported handler for the method called with a real Request. What scripts/server.mjs answers before
 * Next runs a route is imitated: a path with a %-escape that is not UTF-8 is a 400, a method the route
 * does not export a 405, both in the error shape. Unknown paths reach app/api/[...path] as in Next.
 * Every response of a documented path is checked against the OpenAPI document (contract.ts).
 */
export function routeTarget(name = "in-process"): Target {
  const routes = appApiRoutes().map((r) => {
    const names: { name: string; rest: boolean }[] = [];
    const pattern = r.path
      .split("/")
      .map((segment) => {
        const m = /^\[(\.\.\.)?(\w+)\]$/.exec(segment);
        if (!m) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        names.push({ name: m[2]!, rest: Boolean(m[1]) });
        return m[1] ? "(.+)" : "([^/]+)";
      })
      .join("/");
    const dynamic = names.length;
    return { ...r, regex: new RegExp(`^${pattern}$`), names, dynamic, file: path.resolve("app", `.${r.path}`, "route.ts") };
  });
  // Static segments before dynamic ones, catch-alls last.
  const rank = (r: (typeof routes)[number]) => r.dynamic + (r.names.some((n) => n.rest) ? 100 : 0);
  routes.sort((a, b) => rank(a) - rank(b));
  const error = (code: ErrorCode, message: string) => errorResponse(new AppError(code, message));

  return {
    name,
    fetch: async (url, init = {}) => {
      const request = new Request(new URL(url, "http://127.0.0.1"), init);
      const res = await answer(request);
      await checkFetchResponse(request.method, request.url, res);
      return res;
    },
  };

  async function answer(request: Request): Promise<Response> {
    const pathname = new URL(request.url).pathname;
    try {
      decodeURIComponent(pathname);
    } catch {
      return error("invalid_request", "The URL's path has a %-escape that is not UTF-8.");
    }
    for (const route of routes) {
      const m = route.regex.exec(pathname);
      if (!m) continue;
      const params: Record<string, string | string[]> = {};
      route.names.forEach((p, i) => {
        const raw = m[i + 1]!;
        params[p.name] = p.rest ? raw.split("/").map(decodeURIComponent) : decodeURIComponent(raw);
      });
      const mod = (await import(route.file)) as Record<string, Handler | undefined>;
      const handler = mod[request.method];
      if (!handler) return error("method_not_allowed", "This endpoint does not answer that HTTP method.");
      return handler(request, { params: Promise.resolve(params) });
    }
    return error("not_found", "There is no API endpoint at this path.");
  }
}
