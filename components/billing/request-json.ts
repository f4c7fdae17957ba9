/** The outcome of a request to one of our JSON routes, with the error in words a customer can act on. */
export type JsonOutcome<T> = { ok: true; data: T } | { ok: false; message: string };

/**
 * A JSON request to one of the portal's routes (`headers` name the rendered workspace). Failures come
 * back as one sentence: the route's message and next step, or what went wrong with the connection.
 */
export async function requestJson<T>(
  endpoint: string,
  init: { method?: "GET" | "POST"; body?: object; headers?: Record<string, string> } = {},
): Promise<JsonOutcome<T>> {
  try {
    const res = await fetch(endpoint, {
      method: init.method ?? "POST",
      cache: "no-store",
      headers: { ...(init.body ? { "content-type": "application/json" } : {}), ...init.headers },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    const json = (await res.json().catch(() => ({}))) as { error?: { message?: string; actionable_next_step?: string } };
    if (!res.ok) {
      const message = json.error?.message ?? `The request failed (${res.status}).`;
      return { ok: false, message: [message, json.error?.actionable_next_step].filter(Boolean).join(" ") };
    }
    return { ok: true, data: json as T };
  } catch {
    return { ok: false, message: "Could not reach the server. Check your connection and try again." };
  }
}
