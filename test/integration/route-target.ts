import path from "node:path";
import { appApiRoutes } from "../../scripts/verify/fuzz";
import type { Target } from "../../scripts/verify/support";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/**
 * The app's route handlers (every app/api/**\/route.ts) behind a fetch-like function, so the verify
 * scenarios (scripts/verify/) run in-process in the integration suite: the URL is matched against the
 * route files as Next matches them (static segments before dynamic ones), the params decoded, and the
 * exported handler for the method called with a real Request. What Next answers itself is imitated: an
 * unknown path is a 404 page, a method the route does not export a bare 405.
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
  routes.sort((a, b) => a.dynamic - b.dynamic);
  const notFound = () => new Response("<!DOCTYPE html><title>404</title>", { status: 404, headers: { "content-type": "text/html" } });

  return {
    name,
    fetch: async (url, init = {}) => {
      const request = new Request(new URL(url, "http://127.0.0.1"), init);
      const pathname = new URL(request.url).pathname;
      for (const route of routes) {
        const m = route.regex.exec(pathname);
        if (!m) continue;
        const params: Record<string, string | string[]> = {};
        try {
          route.names.forEach((p, i) => {
            const raw = m[i + 1]!;
            params[p.name] = p.rest ? raw.split("/").map(decodeURIComponent) : decodeURIComponent(raw);
          });
        } catch {
          return notFound();
        }
        const mod = (await import(route.file)) as Record<string, Handler | undefined>;
        const handler = mod[request.method];
        if (!handler) return new Response(null, { status: 405 });
        return handler(request, { params: Promise.resolve(params) });
      }
      return notFound();
    },
  };
}
