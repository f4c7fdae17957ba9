// npm run bench:export — the owner's export at 100k rows: a workspace with 100,000 ledger entries and
// 100,000 usage events, exported as JSON and as ledger CSV through the real streams. Prints time, size
// and the most heap the process retained above its start, measured after a forced GC every 10 chunks
// (it must stay flat — one batch at a time — whatever the row count: compare `npm run bench:export -- 10000`).
// Run it with node --expose-gc for the heap figure.
// Needs DATABASE_URL of a migrated, seeded database it may write to (a throwaway one).
import { performance } from "node:perf_hooks";

const ROWS = Number(process.argv[2] ?? 100_000);
const { db, closeDb } = await import("../lib/db.ts");
const { createWorkspace } = await import("../lib/workspaces/create.ts");
const { workspaceJsonStream, ledgerCsvStream } = await import("../lib/accounts/export.ts");

const at = new Date();
const workspace = await db.$transaction((tx) => createWorkspace(tx, { name: "export bench", at }));
const price = await db.actionPrice.findFirstOrThrow({ where: { actionKey: "aria.chat" } });
// Rows that change no balance (rejected events, zero adjustments): the export reads them like any other.
await db.$executeRawUnsafe(
  `INSERT INTO "UsageEvent" (id, "workspaceId", "actionKey", category, "priceId", credits, status, "createdAt")
   SELECT 'bench-' || $1 || '-' || g, $1, 'aria.chat', 'ARIA', $2, 0, 'REJECTED', $3::timestamp(3) + g * interval '1 millisecond'
     FROM generate_series(1, $4::int) g`,
  workspace.id,
  price.id,
  at.toISOString().replace("T", " ").replace("Z", ""),
  ROWS,
);
await db.$executeRawUnsafe(
  `INSERT INTO "LedgerEntry" ("workspaceId", amount, kind, reason, "createdAt")
   SELECT $1, 0, 'ADJUSTMENT', 'bench row ' || g, $2::timestamp(3) + g * interval '1 millisecond' FROM generate_series(1, $3::int) g`,
  workspace.id,
  at.toISOString().replace("T", " ").replace("Z", ""),
  ROWS,
);

async function measure(label: string, stream: ReadableStream<Uint8Array>) {
  global.gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = 0;
  let bytes = 0;
  let chunks = 0;
  let gcMs = 0;
  const t0 = performance.now();
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (global.gc && ++chunks % 10 === 0) {
      const g0 = performance.now();
      global.gc();
      gcMs += performance.now() - g0;
      peak = Math.max(peak, process.memoryUsage().heapUsed - base);
    }
  }
  const seconds = (performance.now() - t0 - gcMs) / 1000;
  const heap = global.gc ? `, retained heap above start at most ${(peak / 1e6).toFixed(1)} MB` : "";
  console.log(`${label}: ${seconds.toFixed(2)} s, ${(bytes / 1e6).toFixed(1)} MB${heap}`);
}

console.log(`workspace with ${ROWS.toLocaleString("en-US")} ledger entries and ${ROWS.toLocaleString("en-US")} usage events`);
await measure("JSON export (ledger + usage events)", workspaceJsonStream(workspace.id, new Date()));
await measure("ledger CSV", ledgerCsvStream(workspace.id));
await closeDb();
