import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";

/** Every webhook endpoint of the test emulator signs with this (the app's STRIPE_WEBHOOK_SECRET). */
export const STRIPE_TEST_WEBHOOK_SECRET = "whsec_creditbook_integration_tests";

type Handler = (req: Request) => Promise<Response>;

/**
 * A real HTTP server in front of a route handler, so the emulator can deliver webhooks to it the way
 * Stripe delivers to the deployed app.
 */
export async function serveRoute(handler: Handler): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) });
      handler(request)
        .then(async (response) => {
          res.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "application/json" });
          res.end(await response.text());
        })
        .catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/stripe/webhook`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Calls one of the emulator's test-control endpoints (not part of Stripe's API) as this file's account. */
export async function emulatorControl<T = unknown>(
  base: string,
  key: string,
  method: "GET" | "POST",
  path: string,
  body?: object,
): Promise<T> {
  const res = await fetch(`${base}/_emulator${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  expect(res.status, `${method} /_emulator${path}`).toBeLessThan(300);
  return (await res.json()) as T;
}

/** Polls until `probe` returns a value that is not undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
