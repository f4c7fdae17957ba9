// Scenario 6 — compatibility: the whole integration suite against Debian's PostgreSQL 15 (not only the
// embedded PostgreSQL 18). Installs `postgresql-15` with apt-get when its binaries are missing (as
// root), runs initdb + pg_ctl as the `postgres` user on a temporary folder and a free port, points the
// suite at it through DATABASE_URL (test/integration/global-setup.ts makes a fresh database there) and
// reports the passed/failed counts from vitest's JSON report.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { Outcome } from "./support.ts";

const BIN = "/usr/lib/postgresql/15/bin";

function run(cmd: string, args: string[], options: { asPostgres?: boolean } = {}): { ok: boolean; output: string } {
  const [c, a] = options.asPostgres ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
  const r = spawnSync(c, a, { encoding: "utf8" });
  return { ok: r.status === 0, output: `${r.stdout ?? ""}${r.stderr ?? ""}`.trim() };
}

function freePort(preferred: number): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => {
      const any = net.createServer();
      any.listen(0, "127.0.0.1", () => {
        const { port } = any.address() as net.AddressInfo;
        any.close(() => resolve(port));
      });
    });
    srv.listen(preferred, "127.0.0.1", () => srv.close(() => resolve(preferred)));
  });
}

export async function runCompat(o: { work: string; port: number }): Promise<Outcome> {
  const problems: string[] = [];
  const fail = (did: string, problem: string): Outcome => ({ did, figures: "", ok: false, problems: [problem] });
  let installed = "already installed";
  if (!fs.existsSync(path.join(BIN, "initdb"))) {
    if (process.getuid?.() !== 0) return fail("PostgreSQL 15 missing", "Install it first: sudo apt-get install -y postgresql-15");
    run("apt-get", ["update"]);
    const r = run("apt-get", ["install", "-y", "--no-install-recommends", "postgresql-15"]);
    if (!r.ok) return fail("apt-get install postgresql-15 failed", r.output.slice(-2000));
    installed = "installed with apt-get";
  }
  if (process.getuid?.() !== 0)
    return fail("needs root", "initdb must run as the postgres user: run npm run verify as root (or --only without 6)");

  // A folder the postgres user owns, with reachable parents (not under a 0700 home).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "creditbook-pg15-"));
  fs.chmodSync(dir, 0o755);
  run("chown", ["postgres:postgres", dir]);
  const data = path.join(dir, "data");
  const port = await freePort(o.port);
  let started = false;
  try {
    const init = run(path.join(BIN, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], {
      asPostgres: true,
    });
    if (!init.ok) return fail("initdb failed", init.output.slice(-2000));
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off`;
    const start = run(path.join(BIN, "pg_ctl"), ["-D", data, "-o", opts, "-l", path.join(dir, "server.log"), "-w", "start"], {
      asPostgres: true,
    });
    if (!start.ok) return fail("pg_ctl start failed", start.output.slice(-2000));
    started = true;
    const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const version = String((await client.query("SHOW server_version")).rows[0]?.server_version ?? "?");
    await client.end();

    const report = path.join(o.work, "pg15-vitest.json");
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url };
    for (const k of ["TEST_MODE", "DATABASE_POOL_SIZE", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE"]) delete env[k];
    const log = fs.openSync(path.join(o.work, "pg15-vitest.log"), "w");
    const code = await new Promise<number>((resolve) => {
      const child = spawn(
        process.execPath,
        ["node_modules/vitest/vitest.mjs", "run", "--project", "integration", "--reporter=json", `--outputFile=${report}`],
        { stdio: ["ignore", log, log], env },
      );
      child.once("exit", (c) => resolve(c ?? 1));
    });
    fs.closeSync(log);
    const json = fs.existsSync(report)
      ? (JSON.parse(fs.readFileSync(report, "utf8")) as {
          numPassedTests: number;
          numFailedTests: number;
          numPendingTests: number;
          numTotalTestSuites: number;
          testResults: {
            name: string;
            status: string;
            assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
          }[];
        })
      : null;
    if (!json)
      return fail(`PostgreSQL ${version}: vitest wrote no report`, `exit code ${code}; see ${path.join(o.work, "pg15-vitest.log")}`);
    for (const file of json.testResults) {
      for (const t of file.assertionResults.filter((a) => a.status === "failed"))
        problems.push(`${path.relative(process.cwd(), file.name)}: ${t.fullName} — ${(t.failureMessages[0] ?? "").split("\n")[0]}`);
      if (file.status === "failed" && file.assertionResults.every((a) => a.status !== "failed"))
        problems.push(`${path.relative(process.cwd(), file.name)} failed to run`);
    }
    return {
      did: `integration suite (npx vitest run --project integration) on Debian PostgreSQL ${version} (${installed}), port ${port}`,
      figures: `passed ${json.numPassedTests}, failed ${json.numFailedTests}, skipped ${json.numPendingTests}`,
      ok: code === 0 && json.numFailedTests === 0 && problems.length === 0 && json.numPassedTests > 0,
      problems,
    };
  } finally {
    if (started) run(path.join(BIN, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"], { asPostgres: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
