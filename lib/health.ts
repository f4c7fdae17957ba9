import type { Db } from "@/lib/db";

export type Health = { status: "ok" | "unavailable"; database: "up" | "down"; latencyMs: number };

/** Is the database reachable? Never throws; gives up after `timeoutMs`. */
export async function checkHealth(client: Db, timeoutMs = 2_000): Promise<Health> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
  });
  try {
    await Promise.race([client.$queryRaw`SELECT 1`, timeout]);
    return { status: "ok", database: "up", latencyMs: Math.round(performance.now() - started) };
  } catch {
    return { status: "unavailable", database: "down", latencyMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

/** GET /api/health: 200 when the database answers, 503 otherwise (for load balancers). */
export async function healthResponse(client: Db): Promise<Response> {
  const health = await checkHealth(client);
  return Response.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
