import { defineConfig } from "prisma/config";

// Prisma 7 keeps the datasource URL out of the schema. Migrations are applied by
// scripts/migrate.ts (see docs/decisions/001-sql-migrations.md), so only `generate` uses this file.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/creditbook" },
});
