import "server-only";
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Db } from "@/lib/db";
import { isDraining } from "@/lib/lifecycle";

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

/** GET /api/health (liveness): 200 when the database answers, 503 otherwise. */
export async function healthResponse(client: Db): Promise<Response> {
  const health = await checkHealth(client);
  return Response.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}

// The migrations shipped with this build do not change while it runs: read the folder once, not on
// every probe from the load balancer.
const onDiskCache = new Map<string, Promise<string[]>>();
function migrationsOnDisk(dir: string): Promise<string[]> {
  let names = onDiskCache.get(dir);
  if (!names) {
    names = readdir(/* turbopackIgnore: true */ dir, { withFileTypes: true }).then((entries) =>
      entries.filter((d) => d.isDirectory()).map((d) => d.name),
    );
    names.catch(() => onDiskCache.delete(dir)); // a failed read is tried again next time
    onDiskCache.set(dir, names);
  }
  return names;
}

export type Readiness = Health & { ready: boolean; draining: boolean; migrations: "applied" | "pending" | "unknown" };

/**
 * May this instance take traffic? The database answers, every migration on disk is applied, and the
 * process is not shutting down (scripts/server.mjs drains on SIGTERM). Never throws.
 */
export async function checkReadiness(client: Db, migrationsDir = path.join(process.cwd(), "prisma", "migrations")): Promise<Readiness> {
  const draining = isDraining();
  const health = await checkHealth(client);
  let migrations: Readiness["migrations"] = "unknown";
  if (health.database === "up") {
    try {
      const onDisk = await migrationsOnDisk(migrationsDir);
      const rows = await client.$queryRaw<Array<{ migration_name: string }>>`
        SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
      const applied = new Set(rows.map((r) => r.migration_name));
      migrations = onDisk.every((name) => applied.has(name)) ? "applied" : "pending";
    } catch {
      migrations = "unknown";
    }
  }
  const ready = !draining && health.database === "up" && migrations === "applied";
  return { ...health, status: ready ? "ok" : "unavailable", ready, draining, migrations };
}

/** GET /api/ready: 200 when this instance may take traffic, 503 while starting, migrating or draining. */
export async function readinessResponse(client: Db): Promise<Response> {
  const readiness = await checkReadiness(client);
  return Response.json(readiness, { status: readiness.ready ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
