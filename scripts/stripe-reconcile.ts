// npm run stripe:reconcile — lists Stripe's events since the last reconciled one and processes any the
// webhook missed (lib/billing/stripe/reconcile.ts). Needs DATABASE_URL and STRIPE_SECRET_KEY (and
// STRIPE_API_BASE for the emulator). The jobs worker runs the same thing daily.
//   npm run stripe:reconcile [-- --since <unix seconds>]
import { parseArgs } from "node:util";
import { closeDb } from "../lib/db.ts";
import { describeReconcile, reconcileStripeEvents } from "../lib/billing/stripe/reconcile.ts";

const { values } = parseArgs({ options: { since: { type: "string" } } });
const since = values.since === undefined ? undefined : Number(values.since);
if (since !== undefined && !Number.isSafeInteger(since)) {
  console.error("--since must be a unix time in seconds");
  process.exit(2);
}
let code = 0;
try {
  const report = await reconcileStripeEvents({ since });
  for (const line of describeReconcile(report)) console.log(line);
  if (report.failed.length > 0) code = 1;
} catch (err) {
  console.error("stripe:reconcile failed:", err instanceof Error ? err.message : err);
  code = 1;
} finally {
  await closeDb();
}
process.exit(code);
