// Summarises a V8 CPU profile of the app (bench:api --cpu-prof DIR writes one) by where the time goes:
// each sample's own frame is mapped back through the build's source maps to a source file and put in a
// bucket (framework, pg, Prisma, zod, hashing, JSON, logging, our code, GC, idle…). Then the inclusive
// time of a few functions of the hot path (body reading, validation, key lookup, the debit).
//   npx tsx scripts/profile-summary.ts .reports/cpu/CPU.….cpuprofile
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { TraceMap, originalPositionFor } from "@jridgewell/trace-mapping";

type Frame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type Node = { id: number; callFrame: Frame; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

const file = process.argv[2];
if (!file) {
  console.error("usage: tsx scripts/profile-summary.ts <file.cpuprofile>");
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;

const maps = new Map<string, TraceMap | null>();
function traceMap(url: string): TraceMap | null {
  if (!maps.has(url)) {
    let map: TraceMap | null = null;
    try {
      const path = url.startsWith("file://") ? fileURLToPath(url) : url;
      if (fs.existsSync(`${path}.map`)) map = new TraceMap(fs.readFileSync(`${path}.map`, "utf8"));
    } catch {
      map = null;
    }
    maps.set(url, map);
  }
  return maps.get(url)!;
}

/** The source file and function a frame comes from (through the source map when there is one). */
function source(frame: Frame): { path: string; name: string } {
  const map = frame.url ? traceMap(frame.url) : null;
  if (map && frame.lineNumber >= 0) {
    const pos = originalPositionFor(map, { line: frame.lineNumber + 1, column: Math.max(0, frame.columnNumber) });
    if (pos.source) return { path: pos.source, name: pos.name ?? frame.functionName };
  }
  return { path: frame.url, name: frame.functionName };
}

const BUCKETS: [string, (path: string, name: string) => boolean][] = [
  ["idle", (_p, n) => n === "(idle)"],
  ["garbage collection", (_p, n) => n === "(garbage collector)"],
  ["V8/native (program)", (_p, n) => n === "(program)"],
  ["JSON parse/stringify", (p, n) => (p === "" && (n === "parse" || n === "stringify")) || /JSON/.test(n)],
  ["key hashing (node:crypto)", (p) => /node:internal\/crypto|node:crypto/.test(p)],
  ["zod", (p) => /node_modules\/zod\//.test(p)],
  ["Prisma", (p) => /@prisma|prisma\/|query_compiler|generated\/prisma/.test(p)],
  ["pg driver", (p) => /node_modules\/(pg|pg-protocol|pg-pool|pg-types|pgpass|postgres-)/.test(p)],
  ["logging (pino)", (p) => /pino|sonic-boom|thread-stream|lib\/log\.ts/.test(p)],
  ["our code (lib/, app/)", (p) => /(^|\/)(lib|app)\/[^]*\.tsx?$/.test(p) && !/node_modules/.test(p)],
  ["our server (scripts/server.mjs)", (p) => /scripts\/server\.mjs/.test(p)],
  ["Next.js", (p) => /next\/dist|next\/|\[turbopack\]|app-route|\.next\//.test(p)],
  ["undici / web streams / fetch API", (p) => /undici|webstreams|readablestream|internal\/deps/.test(p)],
  ["node: http, net, streams, events", (p) => /^node:/.test(p)],
  ["tsx loader", (p) => /tsx|esbuild/.test(p)],
];

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const sourced = new Map<number, { path: string; name: string }>();
const sourceOf = (id: number) => {
  if (!sourced.has(id)) sourced.set(id, source(byId.get(id)!.callFrame));
  return sourced.get(id)!;
};

// Functions whose inclusive time says what a piece of the hot path costs.
const MARKERS: [string, (path: string, name: string) => boolean][] = [
  ["route wrapper (apiRoute, all of it)", (p) => /lib\/api\/v1\.ts$/.test(p)],
  ["body reading (readJson)", (p, n) => /lib\/api\/body\.ts$/.test(p) && /readJson/.test(n)],
  ["zod parsing (safeParse)", (p) => /node_modules\/zod\//.test(p)],
  ["key check (authenticateKey)", (p, n) => /lib\/metering\/keys\.ts$/.test(p) && /authenticateKey/.test(n)],
  ["hourly counter (hitRateLimit)", (p, n) => /lib\/rate-limit\.ts$/.test(p) && /hitRateLimit/.test(n)],
  ["hot path (lib/metering/hot-path.ts)", (p) => /lib\/metering\/hot-path\.ts$/.test(p)],
  ["ledger call (lib/credits/charge.ts)", (p) => /lib\/credits\/charge\.ts$/.test(p)],
  ["pg driver (inclusive)", (p) => /node_modules\/(pg|pg-protocol|pg-pool|pg-types)\//.test(p)],
  ["Prisma (inclusive)", (p) => /@prisma|query_compiler|generated\/prisma/.test(p)],
  ["response JSON (Response.json)", (_p, n) => n === "json" || n === "stringify"],
  ["logging (inclusive)", (p) => /pino|lib\/log\.ts/.test(p)],
];

// Native and node: frames (socket writes, promises, streams) are charged to the nearest caller that
// belongs to a library or to our code: a writev under pg is the driver's, under pino the logger's.
const OWNERLESS = new Set([
  "other",
  "node: http, net, streams, events",
  "JSON parse/stringify",
  "V8/native (program)",
  "undici / web streams / fetch API",
]);
const bucketOf = (path: string, name: string) => BUCKETS.find(([, test]) => test(path, name))?.[0] ?? "other";
const owned = new Map<string, number>();
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
let busy = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i]!;
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  const { path, name } = sourceOf(id);
  const bucket = BUCKETS.find(([, test]) => test(path, name))?.[0] ?? "other";
  self.set(bucket, (self.get(bucket) ?? 0) + dt);
  if (bucket === "idle") continue;
  busy += dt;
  let owner = bucket;
  for (let at = parent.get(id); OWNERLESS.has(owner) && at !== undefined; at = parent.get(at)) {
    const s = sourceOf(at);
    const b = bucketOf(s.path, s.name);
    if (!OWNERLESS.has(b)) owner = b;
  }
  if (OWNERLESS.has(owner)) owner = `${bucket} (no owner)`;
  owned.set(owner, (owned.get(owner) ?? 0) + dt);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const s = sourceOf(at);
    for (const [label, test] of MARKERS) if (!seen.has(label) && test(s.path, s.name)) seen.add(label);
  }
  for (const label of seen) inclusive.set(label, (inclusive.get(label) ?? 0) + dt);
}

const pct = (us: number, of: number) => `${((100 * us) / of).toFixed(1).padStart(5)} %`;
const msOf = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy`);
console.log("\nself time by part (share of busy time):");
for (const [label, us] of [...self].filter(([l]) => l !== "idle").sort((a, b) => b[1] - a[1]))
  console.log(`  ${label.padEnd(36)} ${msOf(us)} ${pct(us, busy)}`);
console.log("\nby owner (native and node: work charged to the library or code that asked for it):");
for (const [label, us] of [...owned].sort((a, b) => b[1] - a[1])) console.log(`  ${label.padEnd(44)} ${msOf(us)} ${pct(us, busy)}`);
console.log("\ninclusive time of pieces of the hot path (share of busy time):");
for (const [label] of MARKERS) {
  const us = inclusive.get(label) ?? 0;
  console.log(`  ${label.padEnd(40)} ${msOf(us)} ${pct(us, busy)}`);
}

// --phases FILE (scripts/profile-routes.ts): CPU µs per request of each phase, by owner and by function
// (self and inclusive), and what the last phase costs beyond the first (track − ping).
const phasesAt = process.argv.indexOf("--phases");
if (phasesAt > 0) {
  type Phase = { label: string; startUs: number; endUs: number; requests: number; cpuMs: number };
  const phases = JSON.parse(fs.readFileSync(process.argv[phasesAt + 1]!, "utf8")) as Phase[];
  type Tally = { owner: Map<string, number>; self: Map<string, number>; incl: Map<string, number>; busy: number };
  const tallies = phases.map((): Tally => ({ owner: new Map(), self: new Map(), incl: new Map(), busy: 0 }));
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  const fnKey = (s: { path: string; name: string }) => `${s.name || "(anonymous)"} ${s.path.replace(/^.*node_modules\//, "")}`;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    const p = phases.findIndex((ph) => at >= ph.startUs && at < ph.endUs);
    if (p < 0) continue;
    const id = profile.samples[i]!;
    const s = sourceOf(id);
    const bucket = bucketOf(s.path, s.name);
    if (bucket === "idle") continue;
    const t = tallies[p]!;
    t.busy += dt;
    let owner = bucket;
    for (let up = parent.get(id); OWNERLESS.has(owner) && up !== undefined; up = parent.get(up)) {
      const b = bucketOf(sourceOf(up).path, sourceOf(up).name);
      if (!OWNERLESS.has(b)) owner = b;
    }
    add(t.owner, OWNERLESS.has(owner) ? `${bucket} (no owner)` : owner, dt);
    add(t.self, fnKey(s), dt);
    const seen = new Set<string>();
    for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) seen.add(fnKey(sourceOf(up)));
    for (const k of seen) add(t.incl, k, dt);
  }
  const per = (t: Tally, ph: Phase, us: number) => us / Math.max(1, ph.requests);
  console.log("\nphases (profiled CPU µs per request; app CPU ms per request from /proc):");
  for (const [i, ph] of phases.entries())
    console.log(
      `  ${ph.label.padEnd(10)} ${String(ph.requests).padStart(7)} requests  ${per(tallies[i]!, ph, tallies[i]!.busy).toFixed(0).padStart(6)} µs busy/req  ${(ph.cpuMs / ph.requests).toFixed(3)} ms/req`,
    );
  const [a, b] = [0, phases.length - 1];
  const diff = (m: keyof Omit<Tally, "busy">, limit: number) => {
    const keys = new Set([...tallies[a]![m].keys(), ...tallies[b]![m].keys()]);
    const rows = [...keys].map((k) => {
      const x = per(tallies[a]!, phases[a]!, tallies[a]![m].get(k) ?? 0);
      const y = per(tallies[b]!, phases[b]!, tallies[b]![m].get(k) ?? 0);
      return [k, x, y] as const;
    });
    console.log(`\n${m} µs/request: ${phases[a]!.label.padStart(8)} ${phases[b]!.label.padStart(8)}     diff`);
    const order = a === b ? (r: (typeof rows)[number]) => r[2] : (r: (typeof rows)[number]) => r[2] - r[1];
    for (const [k, x, y] of rows.sort((r, s) => order(s) - order(r)).slice(0, limit))
      console.log(`  ${x.toFixed(1).padStart(8)} ${y.toFixed(1).padStart(8)} ${(y - x).toFixed(1).padStart(8)}  ${k.slice(0, 120)}`);
  };
  diff("owner", 20);
  diff("self", Number(process.env.SELF_ROWS ?? 50));
  diff("incl", 80);
}

if (process.argv.includes("--top")) {
  const top = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const s = sourceOf(profile.samples[i]!);
    if (s.name === "(idle)") continue;
    const key = `${s.name || "(anonymous)"} ${s.path.replace(/^.*node_modules\//, "")}`;
    top.set(key, (top.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  console.log("\ntop functions by self time:");
  for (const [k, us] of [...top].sort((a, b) => b[1] - a[1]).slice(0, 40))
    console.log(`  ${msOf(us)} ${pct(us, busy)}  ${k.slice(0, 110)}`);
}
