import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseUrl } from "@/lib/env";

// prisma/sql/ is the one home of the ledger's SQL functions (prisma/sql/README.md): each file holds the
// live text of one function. Here every file is created in a scratch schema and its definition, as
// PostgreSQL prints it (pg_get_functiondef: signature, options and the body verbatim), must equal the
// migrated database's. A migration that changes a function without its file (or the reverse) fails here.
const DIR = path.join(process.cwd(), "prisma/sql");
const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".sql"));
const scratch = `sql_home_${process.pid}_${Date.now()}`;
let client: pg.Client;

async function definitions(schema: string): Promise<Map<string, string>> {
  const { rows } = await client.query<{ name: string; def: string }>(
    `SELECT p.proname AS name, pg_get_functiondef(p.oid) AS def
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = $1
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`,
    [schema],
  );
  return new Map(rows.map((r) => [r.name, r.def.replaceAll(`${schema}.`, "SCHEMA.")]));
}

beforeAll(async () => {
  client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  await client.query(`CREATE SCHEMA "${scratch}"`);
  await client.query("BEGIN");
  // Created where the file says, in the scratch schema; the tables and types its body names stay public.
  await client.query(`SET LOCAL search_path TO "${scratch}", public`);
  await client.query("SET LOCAL check_function_bodies = off");
  for (const file of files) await client.query(fs.readFileSync(path.join(DIR, file), "utf8"));
  await client.query("COMMIT");
});

afterAll(async () => {
  await client.query(`DROP SCHEMA IF EXISTS "${scratch}" CASCADE`);
  await client.end();
});

describe("the ledger's SQL functions have one home, prisma/sql/", () => {
  it("has one file per function of the database, named after it", async () => {
    const live = await definitions("public");
    expect(files.map((f) => f.replace(/\.sql$/, "")).sort()).toEqual([...live.keys()].sort());
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  it.each(files)("%s is the live definition, to the character", async (file) => {
    const name = file.replace(/\.sql$/, "");
    const live = (await definitions("public")).get(name);
    const fromFile = (await definitions(scratch)).get(name);
    expect(fromFile, `${file} does not create ${name}`).toBeDefined();
    expect(live, `the database has no function ${name}: write a migration from ${file}`).toBe(fromFile);
  });
});
