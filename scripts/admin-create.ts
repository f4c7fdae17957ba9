// npm run admin:create -- --email you@example.com [--password "…"] — makes a platform operator (the
// /admin console): promotes an existing user, or creates the user (with a personal Free workspace) with
// the given password or a generated one, printed once. Idempotent. Needs DATABASE_URL.
import { parseArgs } from "node:util";
import { ensureOperator } from "../lib/admin/operators.ts";
import { closeDb } from "../lib/db.ts";
import { AppError } from "../lib/errors.ts";

const usage = 'usage: npm run admin:create -- --email you@example.com [--password "at least 10 characters"]';

let values: { email?: string; password?: string };
try {
  ({ values } = parseArgs({ options: { email: { type: "string" }, password: { type: "string" } } }));
} catch (err) {
  console.error(`${(err as Error).message}\n${usage}`);
  process.exit(2);
}
if (!values.email) {
  console.error(usage);
  process.exit(2);
}

try {
  const result = await ensureOperator({ email: values.email, password: values.password ?? null });
  switch (result.outcome) {
    case "created":
      console.log(`Created ${result.email} as an operator (with a personal Free workspace).`);
      if (result.generated)
        console.log(`\n  Password: ${result.password}\n\nStore it now: it is not shown again. Sign in at /login, then open /admin.`);
      else console.log("Sign in at /login with the password you gave, then open /admin.");
      break;
    case "promoted":
      console.log(`${result.email} (an account created ${result.createdAt.toISOString()}) is now an operator; its password is unchanged.`);
      if (values.password) console.log("--password was ignored: this command never changes an existing account's password.");
      break;
    case "unchanged":
      console.log(`${result.email} is already an operator; nothing changed.`);
      if (values.password) console.log("--password was ignored: this command never changes an existing account's password.");
      break;
  }
} catch (err) {
  console.error(err instanceof AppError ? `admin:create: ${err.message}` : err);
  process.exitCode = 1;
} finally {
  await closeDb();
}
