import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { adjust, debit } from "@/lib/credits";
import { deliverWebhooks, SIGNATURE_HEADER, signingSecret, verifySignature } from "@/lib/metering/webhooks";
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
    expect(payload).toMatchObject({ type: "event.charged", data: { id: eventId, status: "completed", action: "sonic.analysis", subject: "track-9", credits: 5 } });
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
