import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createDb, db } from "@/lib/db";
import { checkReadiness, healthResponse } from "@/lib/health";
import { GET } from "@/app/api/health/route";
import { GET as READY } from "@/app/api/ready/route";
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

describe("GET /api/ready", () => {
  it("answers 200 when the database answers and every migration is applied", async () => {
    const res = await READY();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ready: true, database: "up", migrations: "applied", draining: false });
  });

  it("answers 503 when a migration on disk is not applied yet", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migrations-"));
    try {
      for (const name of fs.readdirSync("prisma/migrations", { withFileTypes: true }).filter((d) => d.isDirectory()))
        fs.mkdirSync(path.join(dir, name.name));
      fs.mkdirSync(path.join(dir, "29991231000000_not_yet"));
      const readiness = await checkReadiness(db, dir);
      expect(readiness).toMatchObject({ ready: false, status: "unavailable", migrations: "pending" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
