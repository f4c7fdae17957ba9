// npm run bench:js — the JavaScript /pricing and the signed-in /settings/billing ship on load: each
// script the served HTML lists, with raw and gzip bytes, and the total per page (e2e/support/shipped-js.ts).
// Against the production build (built first if .next is missing; `--build` rebuilds), on an embedded
// PostgreSQL with the demo data and the Stripe emulator, as `npm run lighthouse` runs it.
//   npm run bench:js [-- --port 3500 --build --json]
import { parseArgs } from "node:util";
import { measuredPages, startApp } from "./app-harness.ts";
import { fetchShippedJs, formatShippedJs } from "../e2e/support/shipped-js.ts";

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: "3500" },
    build: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});

async function main() {
  process.env.DEMO_MODE = "1";
  const app = await startApp({
    name: "bench-js",
    instances: 1,
    basePort: Number(args.port),
    stripe: true,
    build: args.build ? "always" : "if-missing",
  });
  try {
    const report: Record<string, unknown> = {};
    console.log("JavaScript shipped on load (scripts in the served HTML; raw, gzip):");
    for (const page of await measuredPages(app.urls[0]!)) {
      const js = await fetchShippedJs(page.url, page.cookie);
      report[page.slug] = js;
      console.log(formatShippedJs(page.name, js));
    }
    if (args.json) console.log(JSON.stringify(report));
  } finally {
    await app.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
