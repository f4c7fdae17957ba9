import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import { healthResponse } from "@/lib/health";
import { GET } from "@/app/api/health/route";
import { startPostgres } from "../../scripts/pg.mjs";

describe("GET /api/health", () => {
  it("answers 200 when the database is reachable", async () => {
    const res = await GET();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: "up" });
  });

  it("answers 503 once the database server stops", async () => {
    const dir = `.data/test-pg-health-${process.pid}`;
    const pg = await startPostgres({ dir, port: 54341, fresh: true, quiet: true });
    const client = createDb(pg.url, 1);
    try {
      const up = await healthResponse(client);
      expect(up.status).toBe(200);
      await pg.stop();
      const down = await healthResponse(client);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ status: "unavailable", database: "down" });
    } finally {
      await client.$disconnect().catch(() => {});
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
