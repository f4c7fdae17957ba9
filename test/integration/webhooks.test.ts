import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { adjust, debit } from "@/lib/credits";
import { deliverWebhooks } from "@/lib/jobs/webhooks";
import { postWebhook } from "@/lib/webhooks/send";
import { SIGNATURE_HEADER, signingSecret, verifySignature } from "@/lib/webhooks/signing";
import { newApiClient, workspaceWith } from "./helpers";

// A real HTTP receiver standing in for the AI product.
type Received = { headers: http.IncomingHttpHeaders; body: string };
let received: Received[] = [];
let failNext = 0;
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      if (failNext > 0) {
        failNext--;
        res.writeHead(500).end("try again");
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/creditbook`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function queuedAndCharged(tag: string) {
  const { workspaceId, userId } = await workspaceWith(0, tag);
  const client = await newApiClient(workspaceId);
  await db.apiClient.update({ where: { id: client.id }, data: { webhookUrl: url } });
  const q = await debit({ workspaceId, actionKey: "sonic.analysis", subject: "track-9", actor: { apiClientId: client.id } });
  expect(q.outcome).toBe("queued");
  await adjust({ workspaceId, credits: 10, reason: "refill", actorUserId: userId }); // charges the queue
  return { client, eventId: q.outcome === "queued" ? q.eventId : "" };
}

describe("signed webhooks for queued events", () => {
  it("announce a queued event when it is charged, signed with the key's secret", async () => {
    received = [];
    const { client, eventId } = await queuedAndCharged("hook");
    expect(await db.webhookDelivery.count({ where: { eventId } })).toBe(1);
    const result = await deliverWebhooks();
    expect(result.delivered).toBeGreaterThanOrEqual(1);
    const mine = received.find((r) => JSON.parse(r.body).data.id === eventId)!;
    const payload = JSON.parse(mine.body);
    expect(payload).toMatchObject({
      type: "event.charged",
      data: { id: eventId, status: "completed", action: "sonic.analysis", subject: "track-9", credits: 5 },
    });
    expect(payload.data.charged_at).toBeTruthy();
    const header = String(mine.headers[SIGNATURE_HEADER.toLowerCase()]);
    expect(verifySignature(signingSecret(client.id), header, mine.body)).toBe(true);
    expect(verifySignature(signingSecret(client.id), header, mine.body.replace("track-9", "track-X"))).toBe(false);
    expect(verifySignature(signingSecret("another-key"), header, mine.body)).toBe(false);
    expect((await db.webhookDelivery.findFirstOrThrow({ where: { eventId } })).deliveredAt).not.toBeNull();
    // Delivered once: a second run sends nothing for it.
    const before = received.length;
    await deliverWebhooks();
    expect(received.filter((r) => JSON.parse(r.body).data.id === eventId)).toHaveLength(1);
    expect(received.length).toBeGreaterThanOrEqual(before);
  });

  it("retries a failed delivery with backoff, then delivers it", async () => {
    received = [];
    const { eventId } = await queuedAndCharged("hook-retry");
    failNext = 1;
    await deliverWebhooks();
    const failed = await db.webhookDelivery.findFirstOrThrow({ where: { eventId } });
    expect(failed).toMatchObject({ attempts: 1, deliveredAt: null, lastError: "HTTP 500" });
    expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 30_000);
    await deliverWebhooks({ at: new Date(failed.nextAttemptAt.getTime() + 1000) });
    const done = await db.webhookDelivery.findFirstOrThrow({ where: { eventId } });
    expect(done.attempts).toBe(2);
    expect(done.deliveredAt).not.toBeNull();
    expect(received.filter((r) => JSON.parse(r.body).data.id === eventId)).toHaveLength(2);
  });
});

describe("postWebhook: where a webhook may connect", () => {
  const send = (target: string, options: { allowLocal: boolean; timeoutMs?: number }) =>
    postWebhook(target, { "content-type": "application/json" }, "{}", options);

  it("connects to this machine in development and tests, and not to the answer's redirect", async () => {
    received = [];
    expect(await send(url, { allowLocal: true })).toBe(204);
    expect(received).toHaveLength(1);
    const redirecting = http.createServer((_req, res) => res.writeHead(302, { location: url }).end());
    await new Promise<void>((r) => redirecting.listen(0, "127.0.0.1", r));
    try {
      expect(await send(`http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/`, { allowLocal: true })).toBe(302);
      expect(received).toHaveLength(1); // the redirect was not followed
    } finally {
      await new Promise<void>((r) => redirecting.close(() => r()));
    }
  });

  it("in production refuses private address literals and names that resolve to them, before sending anything", async () => {
    received = [];
    const port = (server.address() as AddressInfo).port;
    await expect(send(`http://127.0.0.1:${port}/creditbook`, { allowLocal: false })).rejects.toThrow(
      "refused: 127.0.0.1 is not a public address",
    );
    await expect(send(`http://[::1]:${port}/creditbook`, { allowLocal: false })).rejects.toThrow("refused: ::1 is not a public address");
    // "localhost" stands in for any name an owner points at an internal address (or rebinds later):
    // the check runs on the address the socket is about to connect to.
    await expect(send(`http://localhost:${port}/creditbook`, { allowLocal: false })).rejects.toMatchObject({ code: "EADDRNOTPUBLIC" });
    expect(received).toHaveLength(0);
  });

  it("gives up on a receiver that does not answer in time", async () => {
    const silent = http.createServer(() => {}); // never answers
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    try {
      await expect(
        send(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/`, { allowLocal: true, timeoutMs: 200 }),
      ).rejects.toThrow("timed out after 200 ms");
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });
});
