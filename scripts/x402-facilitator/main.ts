// CLI: runs the local x402 facilitator until SIGTERM/SIGINT (or, with --exit-with-stdin, until stdin
// closes). Prints exactly one line on stdout when ready:
//   x402 facilitator listening on http://127.0.0.1:12112
//
//   tsx scripts/x402-facilitator/main.ts --port 12112 [--host 127.0.0.1] [--quiet] [--exit-with-stdin]
import { parseArgs } from "node:util";
import { startX402Facilitator } from "./index.ts";
import { runUntilStopped } from "../run-until-stopped.ts";

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: "12112" },
    host: { type: "string", default: "127.0.0.1" },
    quiet: { type: "boolean", default: false },
    "exit-with-stdin": { type: "boolean", default: false },
  },
});
if (!/^\d+$/.test(args.port)) {
  console.error(`x402 facilitator: --port must be a non-negative integer (got ${args.port})`);
  process.exit(2);
}
const facilitator = await startX402Facilitator({ port: Number(args.port), host: args.host, quiet: args.quiet });
console.log(`x402 facilitator listening on ${facilitator.url}`);

runUntilStopped(() => facilitator.close(), { exitWithStdin: args["exit-with-stdin"] });
