#!/usr/bin/env node
// Writes the SQL from the last committed prisma/schema.prisma (git HEAD) to the working copy into a
// new migration folder. Review the file by hand, add what Prisma cannot express (CHECK constraints,
// triggers), and test it before committing.
//   DATABASE_URL=… npm run db:diff -- add_something     (--from-empty for the very first migration)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { diffSchemas } from "./schema-engine.mjs";

const args = process.argv.slice(2);
const fromEmpty = args.includes("--from-empty");
const name = args.find((a) => !a.startsWith("--"));
const url = process.env.DATABASE_URL;
if (!url || !name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: DATABASE_URL=… npm run db:diff -- <snake_case_name> [--from-empty]");
  process.exit(2);
}
const from = fromEmpty ? null : execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { encoding: "utf8" });
const sql = await diffSchemas(url, from, fs.readFileSync("prisma/schema.prisma", "utf8"));
if (!sql) {
  console.log("prisma/schema.prisma is unchanged since HEAD: no migration needed.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = `prisma/migrations/${stamp}_${name}`;
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(`${dir}/migration.sql`, `${sql}\n`);
console.log(`wrote ${dir}/migration.sql`);
