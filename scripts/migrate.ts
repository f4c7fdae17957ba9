// npm run db:migrate — applies pending SQL migrations to DATABASE_URL.
import { migrate, MigrationError } from "../lib/db/migrate.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set (npm run demo starts an embedded PostgreSQL and sets it for you).");
  process.exit(2);
}
try {
  const { applied, alreadyApplied } = await migrate(url);
  for (const name of applied) console.log(`applied ${name}`);
  console.log(`migrations: ${applied.length} applied, ${alreadyApplied} already up to date`);
} catch (err) {
  console.error(err instanceof MigrationError ? `migration error: ${err.message}` : err);
  process.exit(1);
}
