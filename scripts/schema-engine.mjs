// Prisma's schema engine compiled to WebAssembly (the native binary cannot be downloaded here).
// Developer tooling only: it diffs two versions of prisma/schema.prisma into migration SQL, so a
// migration's SQL is never guessed. (Diffing against a live database is not possible: the wasm engine
// cannot introspect PostgreSQL 18's catalog, see docs/decisions/001-sql-migrations.md.)
import fs from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

const require = createRequire(import.meta.url);

async function loadEngine() {
  // Instantiate the wasm by hand instead of `import "./x.wasm"` (needs --experimental-wasm-modules).
  const bgPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bg = await import(pathToFileURL(bgPath).href);
  const bytes = fs.readFileSync(bgPath.replace(/\.js$/, ".wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
  return bg.SchemaEngine;
}

/**
 * SQL that turns a database built from `fromSchema` (null = empty) into one for `toSchema`.
 * The engine insists on a connection (`databaseUrl`) but reads nothing from it for this diff.
 */
export async function diffSchemas(databaseUrl, fromSchema, toSchema) {
  const SchemaEngine = await loadEngine();
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: databaseUrl }));
  const target = (content) => ({ tag: "schemaDatamodel", files: [{ path: "schema.prisma", content }] });
  const engine = await SchemaEngine.new({ datamodels: [["schema.prisma", toSchema]] }, () => {}, adapter);
  try {
    const result = await engine.diff({
      from: fromSchema === null ? { tag: "empty" } : target(fromSchema),
      to: target(toSchema),
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.stdout.replace(/^-- This is an empty migration\.\s*$/m, "").trim();
  } finally {
    engine.free();
  }
}
