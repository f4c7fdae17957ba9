import { describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import { checkHealth } from "@/lib/health";
import { GET } from "@/app/api/health/route";
import { startPostgres } from "../../scripts/pg.mjs";

describe("GET /api/health", () => {
  it("answers 200 when the database is reachable", async () => {
    const res = await GET();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: "up" });
  });

  it("reports the database down once its server stops", async () => {
    const pg = await startPostgres({ dir: ".data/test-pg-health", port: 54341, fresh: true, quiet: true });
    const client = createDb(pg.url, 1);
    try {
      expect(await checkHealth(client)).toMatchObject({ status: "ok", database: "up" });
      await pg.stop();
      expect(await checkHealth(client, 3_000)).toMatchObject({ status: "unavailable", database: "down" });
    } finally {
      await client.$disconnect().catch(() => {});
      await pg.stop();
    }
  });
});
