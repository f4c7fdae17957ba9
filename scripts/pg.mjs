// Starts scripts/pg-server.mjs in a child process and resolves with its DATABASE_URL.
// Used by the demo, the test setup and tests that need a database of their own.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const server = path.join(path.dirname(fileURLToPath(import.meta.url)), "pg-server.mjs");

/**
 * @param {{ dir: string, port?: number, fresh?: boolean, quiet?: boolean }} options
 * @returns {Promise<{ url: string, child: import("node:child_process").ChildProcess, stop: () => Promise<void> }>}
 */
export function startPostgres({ dir, port = 54329, fresh = false, quiet = false }) {
  const args = [server, "--dir", dir, "--port", String(port), "--exit-on-stdin-close"];
  if (fresh) args.push("--fresh");
  if (quiet) args.push("--quiet");
  // stdin is a pipe we never close: if this process dies, even by SIGKILL, the server sees EOF and stops.
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /^DATABASE_URL=(\S+)$/m.exec(out);
      if (match) resolve({ url: match[1], child, stop });
    });
    child.once("exit", (code) => reject(new Error(`PostgreSQL exited before it was ready (code ${code})`)));
  });
}
