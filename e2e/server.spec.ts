import { spawn } from "node:child_process";
import http from "node:http";
import readline from "node:readline";
import { E2E_APP_PORT, E2E_DATABASE_URL, sql } from "./support/services";
import type { Page } from "@playwright/test";
import { expect, signUp, test, uniqueEmail } from "./support/fixtures";
import { sendUntilAdmitted } from "./support/api-retry";

// More instances of the built app on the same database, started and stopped by these tests (each its
// own port: the tests may run at once).
const DRAIN_PORT = E2E_APP_PORT + 7;
const CLUSTER_PORT = E2E_APP_PORT + 8;

type LogLine = { level: string; msg: string; request_id?: string; [key: string]: unknown };

/** Starts scripts/server.mjs on `port` with `env`; every stdout line must be JSON (a log line). */
function startServer(port: number, env: Record<string, string>) {
  const server = spawn(process.execPath, ["scripts/server.mjs", "--port", String(port), "--hostname", "127.0.0.1"], {
    env: {
      ...process.env,
      DATABASE_URL: E2E_DATABASE_URL,
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      NEXTAUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e-secret",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => server.once("exit", resolve));
  const lines: LogLine[] = [];
  const waiters: Array<{ match: (l: LogLine[]) => LogLine | undefined; resolve: (l: LogLine) => void }> = [];
  readline.createInterface({ input: server.stdout! }).on("line", (text) => {
    lines.push(JSON.parse(text) as LogLine); // every line is JSON: a non-JSON line fails the test here
    for (const w of [...waiters]) {
      const found = w.match(lines);
      if (found) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(found);
      }
    }
  });
  /** Resolves with the line (already logged or to come) that `match` picks out of all lines so far. */
  const loggedAll = (match: (l: LogLine[]) => LogLine | undefined) =>
    new Promise<LogLine>((resolve) => {
      const seen = match(lines);
      if (seen) resolve(seen);
      else waiters.push({ match, resolve });
    });
  const logged = (match: (l: LogLine) => boolean) => loggedAll((all) => all.find(match));
  return { server, exited, lines, logged, loggedAll };
}

async function createKey(page: Page, name: string): Promise<string> {
  await page.getByRole("link", { name: "API keys" }).click();
  await page.getByLabel("Key name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  return page.getByLabel("New API key").inputValue();
}

/** One debit on a connection of its own (no keep-alive), so the cluster may hand it to any worker. */
function trackOnNewConnection(
  port: number,
  secret: string,
  idempotencyKey: string,
): Promise<{ status: number; retryAfter?: string; json: { error?: { code: string }; replayed?: boolean } }> {
  const body = JSON.stringify({ action: "aria.chat", idempotency_key: idempotencyKey });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/api/v1/track",
        agent: false,
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () =>
          resolve({ status: res.statusCode!, retryAfter: res.headers["retry-after"] as string | undefined, json: JSON.parse(text) }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

test("the server logs JSON lines with request ids, and SIGTERM lets a request in flight finish its debit", async ({ page }) => {
  const email = uniqueEmail("drain");
  await signUp(page, email);
  const secret = await createKey(page, "Drain test");

  // One metering call at a time and none waiting: a second call while one runs is refused by the server
  // itself, before Next.js (lib/metering/admission.ts).
  const { server, exited, lines, logged } = startServer(DRAIN_PORT, {
    NODE_ENV: "test",
    TEST_MODE: "1",
    METERING_CONCURRENCY: "1",
    METERING_QUEUE: "0",
  });
  let overflow: Awaited<ReturnType<typeof trackOnNewConnection>> | undefined;
  try {
    await logged((l) => l.msg === "ready");

    // A debit whose body is still on its way when SIGTERM arrives. `Expect: 100-continue` tells us
    // when the server has taken the request in (it answers 100 before reading the body).
    const body = JSON.stringify({ action: "aria.chat", idempotency_key: "drain-1" });
    const response = new Promise<{ status: number; requestId: string | undefined; json: unknown }>((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port: DRAIN_PORT,
          method: "POST",
          path: "/api/v1/track",
          headers: {
            authorization: `Bearer ${secret}`,
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            expect: "100-continue",
            "x-request-id": "e2e-drain-1",
          },
        },
        (res) => {
          let text = "";
          res.on("data", (chunk: Buffer) => (text += chunk.toString()));
          res.on("end", () =>
            resolve({ status: res.statusCode!, requestId: res.headers["x-request-id"] as string | undefined, json: JSON.parse(text) }),
          );
        },
      );
      req.on("error", reject);
      req.on("continue", () => {
        void trackOnNewConnection(DRAIN_PORT, secret, "drain-overflow")
          .then((answer) => {
            overflow = answer;
            server.kill("SIGTERM");
            return logged((l) => l.msg === "draining");
          })
          .then(() => req.end(body), reject);
      });
      req.flushHeaders();
    });

    const draining = await logged((l) => l.msg === "draining");
    expect(draining.in_flight).toBe(1);
    expect(overflow).toMatchObject({ status: 503, retryAfter: "1", json: { error: { code: "overloaded", retryable: true } } });
    const answer = await response;
    expect(answer.status).toBe(201);
    expect(answer.requestId).toBe("e2e-drain-1");
    expect(answer.json).toMatchObject({ credits_charged: 1 });
    expect(await exited).toBe(0);

    const [event] = await sql<{ status: string }>(
      `SELECT e.status FROM "UsageEvent" e JOIN "Membership" m ON m."workspaceId" = e."workspaceId" JOIN "User" u ON u.id = m."userId"
        WHERE u.email = $1 AND e."idempotencyKey" = 'drain-1'`,
      [email],
    );
    expect(event?.status).toBe("COMPLETED");

    const access = lines.find((l) => l.msg === "request" && l.request_id === "e2e-drain-1");
    expect(access).toMatchObject({ request_id: "e2e-drain-1", method: "POST", status: 201 });
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(["draining", "exiting"]));
    expect(lines.filter((l) => l.msg === "exiting")).toHaveLength(1);
  } finally {
    if (server.exitCode === null) server.kill("SIGKILL");
  }
});

test("WEB_CONCURRENCY=2 runs two workers on one port, and SIGTERM to the primary drains both and exits 0", async ({ page }) => {
  const email = uniqueEmail("workers");
  await signUp(page, email);
  const secret = await createKey(page, "Workers test");

  // A production server (test mode runs one process): no test clock, no demo, no in-process jobs.
  const { server, exited, lines, loggedAll } = startServer(CLUSTER_PORT, {
    NODE_ENV: "production",
    TEST_MODE: "0",
    DEMO_MODE: "0",
    JOBS_IN_PROCESS: "0",
    WEB_CONCURRENCY: "2",
  });
  const pidsOf = (match: (l: LogLine) => boolean) => new Set(lines.filter(match).map((l) => l.pid));
  const ready = (l: LogLine) => l.msg === "ready";
  // The access log line of a debit that was charged (201) or replayed (200), not of a refused send.
  const debited = (l: LogLine) => l.msg === "request" && l.path === "/api/v1/track" && (l.status === 201 || l.status === 200);
  try {
    await loggedAll((all) => all.filter(ready)[1]);
    const workers = pidsOf(ready);
    expect(workers.size).toBe(2);
    expect(workers.has(server.pid)).toBe(false);

    // 20 debits at once: on a busy machine a worker may answer some 503 overloaded (a lock or connection
    // wait ran past its bound, nothing charged). Each is then sent again after Retry-After with its key.
    const debits = await Promise.all(
      Array.from({ length: 20 }, (_, i) => sendUntilAdmitted(() => trackOnNewConnection(CLUSTER_PORT, secret, `workers-${i}`))),
    );
    for (const { answer, sends } of debits) {
      // Charged by its last send; or, after a refused send, the replay of a send that was charged.
      if (sends > 1 && answer.status === 200) expect(answer.json.replayed).toBe(true);
      else expect(answer.status).toBe(201);
    }
    await loggedAll((all) => all.filter(debited)[19]);
    expect(pidsOf(debited)).toEqual(workers); // both workers took debits

    server.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(pidsOf((l) => l.msg === "exiting")).toEqual(workers); // each drained on its own
    expect(lines.filter((l) => l.msg === "all workers stopped" && l.pid === server.pid)).toHaveLength(1);

    const [balance] = await sql<{ events: string }>(
      `SELECT count(*) AS events FROM "UsageEvent" e JOIN "Membership" m ON m."workspaceId" = e."workspaceId" JOIN "User" u ON u.id = m."userId"
        WHERE u.email = $1 AND e."idempotencyKey" LIKE 'workers-%' AND e.status = 'COMPLETED'`,
      [email],
    );
    expect(Number(balance?.events)).toBe(20);
  } finally {
    if (server.exitCode === null) server.kill("SIGKILL");
  }
});

test("/favicon.ico, asked for by browsers whatever the page links, answers the app's icon rather than 404", async ({ request }) => {
  const res = await request.get("/favicon.ico");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("image/svg+xml");
  expect((await res.text()).startsWith("<svg")).toBe(true);
});
