// The processes `npm run verify` runs: an embedded PostgreSQL that can be killed and started again on
// the same data folder, built app instances (each `scripts/serve.mjs` in a process group of its own, so
// `kill -9` reaches the real next-server too) and the local Stripe emulator.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { waitForHealth } from "../app-harness.ts";
import { startPostgres } from "../pg.mjs";

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once("exit", () => r()));

export class PgProcess {
  private handle: Awaited<ReturnType<typeof startPostgres>> | null = null;
  url = "";
  constructor(
    readonly dir: string,
    private port: number,
  ) {}

  async start(fresh: boolean): Promise<string> {
    this.handle = await startPostgres({ dir: this.dir, port: this.port, fresh, quiet: true });
    const port = Number(new URL(this.handle.url).port);
    if (this.url && port !== this.port) throw new Error(`PostgreSQL came back on port ${port}, not ${this.port}`);
    this.port = port;
    this.url = this.handle.url;
    return this.url;
  }

  /** The postmaster's pid, from its pid file in the data folder. */
  postmasterPid(): number {
    return Number(fs.readFileSync(path.join(this.dir, "postmaster.pid"), "utf8").split("\n")[0]);
  }

  /** kill -9 of the postmaster (its backends exit when it is gone), then of the wrapper process. */
  async kill9(): Promise<number> {
    const pid = this.postmasterPid();
    process.kill(pid, "SIGKILL");
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      try {
        process.kill(pid, 0);
      } catch {
        break; // gone
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (this.handle) {
      this.handle.child.kill("SIGKILL");
      await exited(this.handle.child);
    }
    this.handle = null;
    return pid;
  }

  async stop(): Promise<void> {
    await this.handle?.stop();
    this.handle = null;
  }
}

/** A process leading a process group of its own (so `kill -9` reaches its children too), logging to a file. */
class GroupProcess {
  protected child: ChildProcess | null = null;
  constructor(
    readonly name: string,
    protected readonly env: Record<string, string>,
    protected readonly logFile: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  protected spawn(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
    const log = fs.openSync(this.logFile, "a");
    const child = spawn(process.execPath, args, { detached: true, stdio: ["ignore", log, log], env });
    fs.closeSync(log);
    this.child = child;
    return child;
  }

  /** kill -9 of the whole process group. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
    await exited(child);
    this.child = null;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // gone
      }
    }, 15_000);
    await exited(child);
    clearTimeout(timer);
    this.child = null;
  }
}

export class AppProcess extends GroupProcess {
  readonly url: string;
  constructor(
    name: string,
    readonly port: number,
    env: Record<string, string>,
    logFile: string,
    private readonly testMode = true,
  ) {
    super(name, env, logFile);
    this.url = `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    const env: NodeJS.ProcessEnv = { ...process.env, ...this.env, NEXT_TELEMETRY_DISABLED: "1" };
    // The harness itself runs with TEST_MODE=1 (to read the test clock); a production instance must not.
    if (!this.testMode) delete env.TEST_MODE;
    // serve.mjs leads a process group of its own, with next-server in it.
    const child = this.spawn(["scripts/serve.mjs", "--port", String(this.port), ...(this.testMode ? ["--test"] : [])], env);
    await waitForHealth(this.url, child, 60_000);
  }
}

/** The jobs worker (`npm run jobs`: scripts/jobs.ts), ready once it logs that it started. */
export class JobsProcess extends GroupProcess {
  /** `extraEnv`: for this start only (e.g. TEST_CLOCK_OFFSET_MS, a restart as if later). */
  async start(extraEnv: Record<string, string> = {}): Promise<void> {
    const from = fs.existsSync(this.logFile) ? fs.statSync(this.logFile).size : 0;
    const child = this.spawn(["--import", "tsx", "--import", "./scripts/server-runtime.mjs", "scripts/jobs.ts"], {
      ...process.env,
      ...this.env,
      ...extraEnv,
    });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`the jobs worker exited (${child.exitCode ?? child.signalCode}); see ${this.logFile}`);
      if (fs.readFileSync(this.logFile, "utf8").slice(from).includes("jobs worker started")) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the jobs worker did not start; see ${this.logFile}`);
  }
}

/** A sender of jobs only (no workers, no schedule, no maintenance) on the worker's queues: the worker process does the work. */
export async function startJobSender(databaseUrl: string) {
  const { default: PgBoss } = await import("pg-boss");
  const boss = new PgBoss({ connectionString: databaseUrl, schema: "pgboss", supervise: false, schedule: false });
  boss.on("error", () => undefined);
  await boss.start();
  return { boss, stop: () => boss.stop({ graceful: false, wait: true }).catch(() => undefined) };
}
