// npm run client:smoke — the client as a new project meets it, against the built app on its own
// PostgreSQL: packs packages/client, installs the tarball in an empty project (npm install: openapi-fetch
// from the registry), runs the ten lines of packages/client/README.md there with a fresh key, then runs
// `npm run simulate` (which uses the client) for a few dozen actions. Exits non-zero if either fails.
//   npm run client:smoke -- [--port 4700]   (PostgreSQL on port + 99; builds the app if there is no build)
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startPostgres } from "./pg.mjs";
import { startApp } from "./app-harness.ts";

const { values } = parseArgs({ options: { port: { type: "string", default: "4700" } } });
const port = Number(values.port);
const root = process.cwd();
const dir = `.data/client-smoke-pg-${process.pid}`;
const pg = process.env.DATABASE_URL ? null : await startPostgres({ dir, port: port + 99, fresh: true, quiet: true });
if (pg) process.env.DATABASE_URL = pg.url;
const app = await startApp({ name: "client-smoke", instances: 1, basePort: port, build: "if-missing" }).catch(async (err: unknown) => {
  await pg?.stop();
  throw err;
});
const project = fs.mkdtempSync(path.join(os.tmpdir(), "creditbook-client-"));
let failed = false;
try {
  const base = app.urls[0]!;
  const { db, closeDb } = await import("../lib/db.ts");
  const { createWorkspace } = await import("../lib/workspaces/create.ts");
  const { addCredits } = await import("../lib/credits/index.ts");
  const { createApiKey } = await import("../lib/metering/keys.ts");
  const w = await db.$transaction((tx) => createWorkspace(tx, { name: "client smoke", at: new Date() }));
  await addCredits({ workspaceId: w.id, type: "PURCHASED", credits: 5_000, expiresAt: null, source: "client-smoke" });
  const { key } = await createApiKey({ kind: "WORKSPACE", workspaceId: w.id, name: "client smoke", hourlyCap: 10_000 });
  await closeDb();

  // 1. The README's ten lines in a new project.
  const client = path.join(root, "packages/client");
  execFileSync("npm", ["run", "build"], { cwd: client, stdio: "inherit" });
  const tarball = execFileSync("npm", ["pack", "--pack-destination", project], { cwd: client, encoding: "utf8" }).trim().split("\n").pop()!;
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "new-project", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", path.join(project, tarball)], { cwd: project, stdio: "inherit" });
  const readme = fs.readFileSync(path.join(client, "README.md"), "utf8");
  const code = /## Ten lines\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!code) throw new Error("README.md has no ten-line example");
  const lines = code.trim().split("\n");
  console.log(`README example: ${lines.length} lines`);
  fs.writeFileSync(
    path.join(project, "index.mjs"),
    code.replace("process.env.CREDITBOOK_KEY!", "process.env.CREDITBOOK_KEY").replace("http://localhost:3000", base),
  );
  const run = spawnSync(process.execPath, ["index.mjs"], { cwd: project, encoding: "utf8", env: { ...process.env, CREDITBOOK_KEY: key } });
  console.log(`README example printed: ${run.stdout.trim()}${run.stderr ? `\n${run.stderr}` : ""}`);
  if (run.status !== 0 || !/^charged, \d+ credits left$/.test(run.stdout.trim())) failed = true;

  // 2. npm run simulate, through the client.
  const sim = spawnSync(
    process.execPath,
    ["--import", "tsx", "scripts/simulate.ts", "--url", base, "--key", key, "--count", "40", "--rate", "40"],
    { encoding: "utf8" },
  );
  console.log(sim.stdout.trim());
  if (sim.status !== 0) {
    console.error(sim.stderr);
    failed = true;
  }
} catch (err) {
  console.error(err);
  failed = true;
} finally {
  fs.rmSync(project, { recursive: true, force: true });
  await app.stop();
  if (pg) {
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
console.log(failed ? "client smoke: FAILED" : "client smoke: the README example and npm run simulate work against the built app");
process.exit(failed ? 1 : 0);
