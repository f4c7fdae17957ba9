import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { migrate, MIGRATIONS_DIR, readMigrations } from "@/lib/db/migrate";

// Each test migrates a database of its own, created on the shared test server.
const adminUrl = inject("databaseUrl");
const created: string[] = [];

async function freshDatabase(): Promise<string> {
  const name = `migrate_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  created.push(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "creditbook-migrations-"));
});
afterAll(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

describe("the migrator", () => {
  it("applies every migration once and records it like Prisma does; a second run is a no-op", async () => {
    const url = await freshDatabase();
    const first = await migrate(url);
    expect(first.applied).toEqual(readMigrations().map((m) => m.name));
    const second = await migrate(url);
    expect(second).toEqual({ applied: [], alreadyApplied: first.applied.length });
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      url,
      `SELECT * FROM "_prisma_migrations"`,
    );
    expect(rows).toHaveLength(first.applied.length);
    expect(rows.every((r) => r.finished_at !== null && /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
  });

  it("lets two instances start at once: the advisory lock makes one apply and the other find it done", async () => {
    const url = await freshDatabase();
    const [a, b] = await Promise.all([migrate(url), migrate(url)]);
    expect(a.applied.length + b.applied.length).toBe(readMigrations().length);
    const rows = await query(url, `SELECT 1 FROM "_prisma_migrations"`);
    expect(rows).toHaveLength(readMigrations().length);
  });

  it("refuses an applied migration whose file changed, naming it", async () => {
    const url = await freshDatabase();
    fs.cpSync(MIGRATIONS_DIR, tmp, { recursive: true });
    await migrate(url, tmp);
    const first = readMigrations(tmp)[0]!;
    fs.appendFileSync(path.join(tmp, first.name, "migration.sql"), "\n-- edited after the fact\n");
    await expect(migrate(url, tmp)).rejects.toThrow(new RegExp(`Migration ${first.name} was changed after it was applied`));
  });

  it("rolls back a failing migration completely and records nothing", async () => {
    const url = await freshDatabase();
    const dir = fs.mkdtempSync(path.join(tmp, "broken-"));
    fs.mkdirSync(path.join(dir, "20990101000000_broken"));
    fs.writeFileSync(
      path.join(dir, "20990101000000_broken", "migration.sql"),
      `CREATE TABLE "half" (id int); SELECT * FROM "missing_table";`,
    );
    await expect(migrate(url, dir)).rejects.toThrow(/20990101000000_broken failed and was rolled back/);
    const tables = await query(url, `SELECT 1 FROM information_schema.tables WHERE table_name = 'half'`);
    expect(tables).toHaveLength(0);
    expect(await query(url, `SELECT 1 FROM "_prisma_migrations"`)).toHaveLength(0);
  });
});

describe("database invariants", () => {
  it("keeps the ledger append-only and grants within [0, amount]", async () => {
    const url = await freshDatabase();
    await migrate(url);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO "Plan" (id, name, "monthlyCredits", "priceMonthlyCents", "priceYearlyCents", "updatedAt") VALUES ('free', 'Free', 100, 0, 0, now())`,
      );
      await client.query(
        `INSERT INTO "Workspace" (id, name, "planId", "periodAnchor", "updatedAt") VALUES ('w1', 'W', 'free', now(), now())`,
      );
      await client.query(
        `INSERT INTO "CreditGrant" (id, "workspaceId", type, amount, remaining, source) VALUES ('g1', 'w1', 'BONUS', 10, 10, 's')`,
      );
      await client.query(`INSERT INTO "LedgerEntry" ("workspaceId", "grantId", amount, kind) VALUES ('w1', 'g1', 10, 'GRANT')`);
      await expect(client.query(`UPDATE "LedgerEntry" SET amount = 99`)).rejects.toThrow(/append-only/);
      await expect(client.query(`DELETE FROM "LedgerEntry"`)).rejects.toThrow(/append-only/);
      await expect(client.query(`UPDATE "CreditGrant" SET remaining = -1`)).rejects.toThrow(/CreditGrant_remaining_check/);
      await expect(client.query(`UPDATE "CreditGrant" SET remaining = 11`)).rejects.toThrow(/CreditGrant_remaining_check/);
    } finally {
      await client.end();
    }
  });
});
