// npm run simulate — plays an AI product against a running Creditbook so the portal fills with
// believable usage: chats (one credit per conversation), sonic analyses, image jobs, video and stem
// jobs through reservations, MCP tool calls.
//   npm run simulate -- [--url http://localhost:3000] [--key cb_live_…] [--count 200] [--rate 4]
// Without --key it uses the demo workspace's key that `npm run demo` saved in .data/demo-api-key.
import fs from "node:fs";
import { parseArgs } from "node:util";

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

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown> & { error?: { code: string; message: string } };
  return { status: res.status, json };
}

const conversations = ["conv-a", "conv-b", "conv-c"].map((c) => `${c}-${values.seed}`);
const tally = new Map<string, number>();
const note = (label: string, status: number): void => {
  tally.set(`${label} ${status}`, (tally.get(`${label} ${status}`) ?? 0) + 1);
};

type Step = () => Promise<void>;
const steps: [Step, number][] = [
  [async () => note("aria.chat", (await api("POST", "/api/v1/track", { action: "aria.chat", idempotency_key: pick(conversations.map((c) => [c, 1])) + `-${Math.floor(random() * 40)}` })).status), 40],
  [async () => note("sonic.analysis", (await api("POST", "/api/v1/track", { action: "sonic.analysis", subject: `track-${Math.floor(random() * 50)}` })).status), 10],
  [async () => note("image.generate", (await api("POST", "/api/v1/track", { action: "image.generate" })).status), 8],
  [async () => note("mcp", (await api("POST", "/api/v1/track", { action: pick([["mcp.get_song_intelligence", 5], ["mcp.read_cached", 5], ["mcp.add_artist", 1], ["mcp.generate_pitch", 1]]) })).status), 25],
  [async () => note("artist.similar", (await api("POST", "/api/v1/track", { action: "artist.similar" })).status), 6],
  [
    async () => {
      const action = pick([["video.generate", 1], ["stems.separate", 2]] as [string, number][]);
      const hold = await api("POST", "/api/v1/reservations", { action });
      note(`${action} reserve`, hold.status);
      if (hold.status !== 201) return;
      const id = String(hold.json.reservation_id);
      if (random() < 0.1) {
        note(`${action} release`, (await api("POST", `/api/v1/reservations/${id}/release`, {})).status);
      } else {
        const held = Number(hold.json.credits_held);
        const actual = Math.max(1, Math.round(held * (0.65 + random() * 0.35)));
        note(`${action} commit`, (await api("POST", `/api/v1/reservations/${id}/commit`, { actual })).status);
      }
    },
    6,
  ],
];

console.log(`Simulating ${count} AI actions against ${base} (seed ${values.seed}) …`);
for (let i = 0; i < count; i++) {
  try {
    await pick(steps)();
  } catch (err) {
    console.error(`request failed: ${(err as Error).message} — is the app running at ${base}?`);
    process.exit(1);
  }
  if ((i + 1) % 25 === 0) {
    const balance = await api("GET", "/api/v1/balance");
    console.log(`${i + 1} actions · ${balance.json.remaining} credits remaining · ${balance.json.used} used this period`);
  }
  await new Promise((r) => setTimeout(r, delayMs));
}
console.log("\nOutcomes (action, HTTP status → count):");
for (const [label, n] of [...tally.entries()].sort()) console.log(`  ${label.padEnd(32)} ${n}`);
