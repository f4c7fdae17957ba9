// CLI: runs the Stripe emulator until SIGTERM/SIGINT (or, with --exit-with-stdin, until stdin closes, so a
// parent killed with SIGKILL does not leave it running). Prints exactly one line on stdout when ready:
//   stripe emulator listening on http://127.0.0.1:12111
//
//   tsx scripts/stripe-emulator/main.ts --port 12111 \
//     --webhook-url http://127.0.0.1:3000/api/stripe/webhook --webhook-secret whsec_… \
//     --state .data/stripe-emulator.json [--retry-base-ms 1000] [--public-url …] [--host …] [--quiet] [--exit-with-stdin]
import { parseArgs } from "node:util";
import { startStripeEmulator } from "./index.ts";
import { runUntilStopped } from "../run-until-stopped.ts";

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: "12111" },
    host: { type: "string", default: "127.0.0.1" },
    "public-url": { type: "string" },
    "webhook-url": { type: "string" },
    "webhook-secret": { type: "string" },
    state: { type: "string" },
    "retry-base-ms": { type: "string" },
    quiet: { type: "boolean", default: false },
    "exit-with-stdin": { type: "boolean", default: false },
  },
});

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) {
    console.error(`stripe emulator: --${name} must be a non-negative integer (got ${value})`);
    process.exit(2);
  }
  return Number(value);
}

const secret = args["webhook-secret"];
if (secret !== undefined && !secret.startsWith("whsec_")) {
  console.error("stripe emulator: --webhook-secret must start with whsec_");
  process.exit(2);
}

const emulator = await startStripeEmulator({
  port: number("port", args.port),
  host: args.host,
  publicUrl: args["public-url"],
  webhookUrl: args["webhook-url"],
  webhookSecret: secret,
  retryBaseMs: number("retry-base-ms", args["retry-base-ms"]),
  statePath: args.state,
  quiet: args.quiet,
});
console.log(`stripe emulator listening on ${emulator.url}`);

runUntilStopped(() => emulator.close(), { exitWithStdin: args["exit-with-stdin"] });
