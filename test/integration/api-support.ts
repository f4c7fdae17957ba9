import { createApiKey, type KeyKind } from "@/lib/metering/keys";
import { checkResponse, operationOfHandler } from "./contract";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Calls a route handler the way Next.js does, with a real Request; the response is checked against the OpenAPI document (contract.ts). */
export async function call(
  handler: unknown,
  options: {
    method?: string;
    path?: string;
    key?: string;
    body?: unknown;
    rawBody?: string;
    contentType?: string;
    params?: Record<string, string>;
    headers?: Record<string, string>;
  } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers["content-type"] = options.contentType ?? "application/json";
  const req = new Request(`http://localhost${options.path ?? "/api/v1/test"}`, {
    method: options.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body,
  });
  const res = await (handler as Handler)(req, { params: Promise.resolve(options.params ?? {}) });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  const operation = await operationOfHandler(handler);
  // The handler is the operation (some tests call a POST handler without a body, so the Request says GET).
  if (operation) checkResponse(operation.method, operation.path, res.status, res.headers, json);
  return { status: res.status, headers: res.headers, json: json as Record<string, unknown> & { error?: Record<string, unknown> } };
}

export async function keyFor(
  workspaceId: string | null,
  options: { kind?: KeyKind; hourlyCap?: number; maxPending?: number; allowedActions?: string[] } = {},
) {
  const { key, client } = await createApiKey({
    kind: options.kind ?? "WORKSPACE",
    workspaceId,
    name: "test",
    hourlyCap: options.hourlyCap,
    maxPending: options.maxPending,
    allowedActions: options.allowedActions,
  });
  return { key, client };
}
