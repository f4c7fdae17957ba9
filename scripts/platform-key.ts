// npm run keys:platform -- "<name>" [--cap N] — creates a platform key for the AI product's backend
// (acts on any workspace named by workspace_id or external_id). The secret is printed once.
// Needs DATABASE_URL. The admin console will offer the same later.
import { parseArgs } from "node:util";
import { createApiKey } from "../lib/metering/keys.ts";
import { closeDb } from "../lib/db.ts";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { cap: { type: "string", default: "60" } } });
const name = positionals.join(" ").trim();
if (!name) {
  console.error('usage: npm run keys:platform -- "<name>" [--cap 600]');
  process.exit(2);
}
const { key, client } = await createApiKey({ kind: "PLATFORM", workspaceId: null, name, hourlyCap: Number(values.cap) });
console.log(
  `Platform key "${client.name}" (${client.prefix}…), ${client.hourlyCap} actions per hour per workspace:\n\n  ${key}\n\nStore it now: it is not shown again.`,
);
await closeDb();
