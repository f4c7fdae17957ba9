// npm run simulate — plays an AI product against a running Creditbook so the portal fills with
// believable usage: chats (one credit per conversation), sonic analyses, image jobs, video and stem
// jobs through reservations, MCP tool calls.
//   npm run simulate -- [--url http://localhost:3000] [--key cb_live_…] [--count 200] [--rate 4]
// Without --key it uses the demo workspace's key that `npm run demo` saved in .data/demo-api-key.
import fs from "node:fs";
import { parseArgs } from "node:util";
import { Creditbook, CreditbookError, type TrackInput } from "../packages/client/src/index";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://localhost:3000" },
    key: { type: "string" },
    count: { type: "string", default: "200" },
    rate: { type: "string", default: "4" },
    seed: { type: "string", default: String(Date.now() % 100000) },
  },
});

const keyFile = ".data/demo-api-key";
const key = values.key ?? (fs.existsSync(keyFile) ? fs.readFileSync(keyFile, "utf8").trim() : "");
if (!key) {
  console.error("No API key: pass --key, or run `npm run demo` first (it saves the demo key in .data/demo-api-key).");
  process.exit(2);
}
const base = values.url.replace(/\/$/, "");
const count = Number(values.count);
const delayMs = 1000 / Number(values.rate);

let seed = Number(values.seed);
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <T>(items: [T, number][]): T => {
  let r = random() * items.reduce((s, [, w]) => s + w, 0);
  for (const [item, w] of items) if ((r -= w) < 0) return item;
  return items[0]![0];
};

// The typed client (packages/client): idempotency keys, retries with Retry-After, typed errors.
const credits = new Creditbook({ apiKey: key, baseUrl: base, maxRetryDelayMs: 5_000 });

const conversations = ["conv-a", "conv-b", "conv-c"].map((c) => `${c}-${values.seed}`);
const tally = new Map<string, number>();
const note = (label: string, outcome: string): void => {
  tally.set(`${label} ${outcome}`, (tally.get(`${label} ${outcome}`) ?? 0) + 1);
};
/** What a call came to: the result's status (replayed/queued/completed…), or the error's code. */
async function outcome(call: Promise<{ status?: string; replayed?: boolean }>): Promise<string> {
  try {
    const r = await call;
    return r.replayed ? "replayed" : (r.status ?? "ok");
  } catch (err) {
    if (err instanceof CreditbookError) return err.code;
    throw err;
  }
}
const track = (action: string, extra: Omit<TrackInput, "action"> = {}) => outcome(credits.track({ action, ...extra }));

type Step = () => Promise<void>;
const steps: [Step, number][] = [
  [
    async () =>
      note(
        "aria.chat",
        await track("aria.chat", { idempotency_key: pick(conversations.map((c) => [c, 1])) + `-${Math.floor(random() * 40)}` }),
      ),
    40,
  ],
  [async () => note("sonic.analysis", await track("sonic.analysis", { subject: `track-${Math.floor(random() * 50)}` })), 10],
  [async () => note("image.generate", await track("image.generate")), 8],
  [
    async () =>
      note(
        "mcp",
        await track(
          pick([
            ["mcp.get_song_intelligence", 5],
            ["mcp.read_cached", 5],
            ["mcp.add_artist", 1],
            ["mcp.generate_pitch", 1],
          ]),
        ),
      ),
    25,
  ],
  [async () => note("artist.similar", await track("artist.similar")), 6],
  [
    async () => {
      const action = pick([
        ["video.generate", 1],
        ["stems.separate", 2],
      ] as [string, number][]);
      const fails = random() < 0.1;
      const share = 0.65 + random() * 0.35;
      // Hold, do the work, commit what it used — or release the hold when the work fails.
      const result = await outcome(
        credits
          .withReservation(action, undefined, async (hold) => {
            if (fails) throw new WorkFailed();
            return Math.max(1, Math.round((hold.credits_held ?? 0) * share));
          })
          .then((r) => r.committed),
      ).catch((err: unknown) => {
        if (err instanceof WorkFailed) return "released";
        throw err;
      });
      note(`${action} reservation`, result);
    },
    6,
  ],
];

class WorkFailed extends Error {}

console.log(`Simulating ${count} AI actions against ${base} (seed ${values.seed}) …`);
for (let i = 0; i < count; i++) {
  try {
    await pick(steps)();
  } catch (err) {
    console.error(`request failed: ${(err as Error).message} — is the app running at ${base}?`);
    process.exit(1);
  }
  if ((i + 1) % 25 === 0) {
    const balance = await credits.balance();
    console.log(`${i + 1} actions · ${balance.remaining} credits remaining · ${balance.used} used this period`);
  }
  await new Promise((r) => setTimeout(r, delayMs));
}
console.log("\nOutcomes (action, result or error code → count):");
for (const [label, n] of [...tally.entries()].sort()) console.log(`  ${label.padEnd(40)} ${n}`);
