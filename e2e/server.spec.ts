import { spawn } from "node:child_process";
import http from "node:http";
import readline from "node:readline";
import { E2E_APP_PORT, E2E_DATABASE_URL, sql } from "./support/services";
import { expect, signUp, test, uniqueEmail } from "./support/fixtures";

// A second instance of the built app on the same database, started and stopped by this test.
const PORT = E2E_APP_PORT + 7;

type LogLine = { level: string; msg: string; request_id?: string; [key: string]: unknown };

test("the server logs JSON lines with request ids, and SIGTERM lets a request in flight finish its debit", async ({ page }) => {
  const email = uniqueEmail("drain");
  await signUp(page, email);
  await page.getByRole("link", { name: "API keys" }).click();
  await page.getByLabel("Key name").fill("Drain test");
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = await page.getByLabel("New API key").inputValue();

  const server = spawn(process.execPath, ["scripts/server.mjs", "--port", String(PORT), "--hostname", "127.0.0.1"], {
    env: { ...process.env, DATABASE_URL: E2E_DATABASE_URL, NEXTAUTH_URL: `http://127.0.0.1:${PORT}`, NEXTAUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e-secret", NODE_ENV: "test", TEST_MODE: "1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => server.once("exit", resolve));
  const lines: LogLine[] = [];
  const waiters: Array<{ match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }> = [];
  readline.createInterface({ input: server.stdout! }).on("line", (text) => {
    const line = JSON.parse(text) as LogLine; // every line is JSON: a non-JSON line fails the test here
    lines.push(line);
    for (const w of waiters.filter((w) => w.match(line))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(line);
    }
  });
  const logged = (match: (l: LogLine) => boolean) =>
    new Promise<LogLine>((resolve) => {
      const seen = lines.find(match);
      if (seen) resolve(seen);
      else waiters.push({ match, resolve });
    });

  try {
    await logged((l) => l.msg === "ready");

    // A debit whose body is still on its way when SIGTERM arrives. `Expect: 100-continue` tells us
    // when the server has taken the request in (it answers 100 before reading the body).
    const body = JSON.stringify({ action: "aria.chat", idempotency_key: "drain-1" });
    const response = new Promise<{ status: number; requestId: string | undefined; json: unknown }>((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port: PORT,
          method: "POST",
          path: "/api/v1/track",
          headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", "content-length": Buffer.byteLength(body), expect: "100-continue", "x-request-id": "e2e-drain-1" },
        },
        (res) => {
          let text = "";
          res.on("data", (chunk: Buffer) => (text += chunk.toString()));
          res.on("end", () => resolve({ status: res.statusCode!, requestId: res.headers["x-request-id"] as string | undefined, json: JSON.parse(text) }));
        },
      );
      req.on("error", reject);
      req.on("continue", () => {
        server.kill("SIGTERM");
        void logged((l) => l.msg === "draining").then(() => req.end(body));
      });
      req.flushHeaders();
    });

    const draining = await logged((l) => l.msg === "draining");
    expect(draining.in_flight).toBe(1);
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

    const access = lines.find((l) => l.msg === "request" && l.path === "/api/v1/track");
    expect(access).toMatchObject({ request_id: "e2e-drain-1", method: "POST", status: 201 });
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(["draining", "exiting"]));
    expect(lines.filter((l) => l.msg === "exiting")).toHaveLength(1);
  } finally {
    if (server.exitCode === null) server.kill("SIGKILL");
  }
});
