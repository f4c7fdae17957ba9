import type { Page } from "@playwright/test";
import { Creditbook, InsufficientCreditsError, RateLimitedError, type CreditbookOptions } from "../packages/client/src/index";
import { expect, signUp, test, uniqueEmail } from "./support/fixtures";

// The typed client (packages/client) over HTTP against the running app, as an integrator uses it: a
// new customer's workspace key, Node's own fetch, and only observing wrappers around it (counting,
// or dropping the connection after the server answered).

async function createKey(page: Page, name: string, perHour: number): Promise<string> {
  await page.goto("/settings/api-keys");
  await page.getByLabel("Key name").fill(name);
  await page.getByLabel("Actions per hour").fill(String(perHour));
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = page.getByLabel("New API key");
  await expect(secret).toHaveValue(/^cb_live_/);
  return secret.inputValue();
}

function clientFor(baseURL: string, apiKey: string, options: Partial<CreditbookOptions> = {}) {
  const requests: string[] = [];
  const sleeps: number[] = [];
  const fetch = options.fetch ?? globalThis.fetch;
  const credits = new Creditbook({
    apiKey,
    baseUrl: baseURL,
    sleep: async (ms) => void sleeps.push(ms),
    ...options,
    fetch: async (request) => {
      requests.push(`${request.method} ${new URL(request.url).pathname}`);
      return fetch(request);
    },
  });
  return { credits, requests, sleeps };
}

test("the typed client meters a new customer over HTTP: each method, reservations, pages, retries", async ({ page, baseURL }) => {
  await signUp(page, uniqueEmail("client"));
  const key = await createKey(page, "Client", 1000);
  const { credits, requests } = clientFor(baseURL!, key);

  // Debit, dry run, balance, prices, plan limits.
  const charged = await credits.track({ action: "aria.chat", idempotency_key: "conversation-1" });
  expect(charged).toMatchObject({ status: "completed", credits_charged: 1, remaining: 399, replayed: false });
  expect(await credits.track({ action: "aria.chat", idempotency_key: "conversation-1" })).toMatchObject({ replayed: true, remaining: 399 });
  expect(await credits.check({ action: "image.generate" })).toMatchObject({ allowed: true, cost: 5, remaining_after: 394 });
  expect(await credits.balance()).toMatchObject({ remaining: 399 });
  expect((await credits.pricing()).actions.some((a) => a.action === "video.generate")).toBe(true);
  expect((await credits.entitlements()).seats).toBeTruthy();
  expect(await credits.checkEntitlement({ key: "roster.artists", current: 0, add: 1 })).toMatchObject({ allowed: true });

  // A hold committed at the actual amount, and one released.
  const hold = await credits.reserve({ action: "stems.separate" });
  expect(hold).toMatchObject({ status: "pending", credits_held: 15 });
  expect(await hold.commit(12)).toMatchObject({ credits_charged: 12 });
  const released = await credits.reserve({ action: "stems.separate" });
  await released.release();
  expect(await credits.event(released.reservation_id)).toMatchObject({ status: "released" });

  // withReservation: commits what the work returns; releases the hold when the work throws.
  await credits.withReservation("stems.separate", undefined, async () => 10);
  await expect(
    credits.withReservation("stems.separate", undefined, async () => Promise.reject(new Error("render failed"))),
  ).rejects.toThrow("render failed");
  expect(await credits.balance()).toMatchObject({ remaining: 399 - 12 - 10, held: 0 });

  // A refund gives the credits back.
  expect(await credits.refund(charged.event_id, { reason: "bad answer" })).toMatchObject({ status: "refunded" });
  expect(await credits.balance()).toMatchObject({ remaining: 378 });

  // The usage iterator walks every page once: 5 events in pages of 2 → 3 requests, no event twice.
  requests.length = 0;
  const ids: string[] = [];
  for await (const event of credits.usage({ limit: 2 })) ids.push(event.id);
  expect(ids.length).toBeGreaterThanOrEqual(5);
  expect(new Set(ids).size).toBe(ids.length);
  expect(requests.filter((r) => r === "GET /api/v1/usage")).toHaveLength(Math.ceil(ids.length / 2));

  // Out of credits: 402 is thrown at once with what to do, never retried.
  requests.length = 0;
  const denied = await credits.track({ action: "image.generate", quantity: 1000 }).catch((err: unknown) => err);
  expect(denied).toBeInstanceOf(InsufficientCreditsError);
  expect((denied as InsufficientCreditsError).remaining).toBe(378);
  expect((denied as InsufficientCreditsError).buyPackUrl).toContain("/settings/billing");
  expect(requests).toEqual(["POST /api/v1/track"]);
});

test("the client retries a dropped connection with the same idempotency key and charges once; a 429 waits Retry-After", async ({
  page,
  baseURL,
}) => {
  await signUp(page, uniqueEmail("client-retry"));

  // The server charges, then the connection drops before the answer arrives: the client's retry
  // carries the same generated idempotency key and gets the first result.
  const key = await createKey(page, "Flaky network", 2);
  let dropped = false;
  const flaky = clientFor(baseURL!, key, {
    fetch: async (request) => {
      const response = await globalThis.fetch(request);
      if (!dropped) {
        dropped = true;
        throw new TypeError("fetch failed: socket hang up");
      }
      return response;
    },
  });
  const result = await flaky.credits.track({ action: "image.generate" });
  expect(result).toMatchObject({ credits_charged: 5, remaining: 395, replayed: true });
  expect(flaky.requests).toEqual(["POST /api/v1/track", "POST /api/v1/track"]);
  expect(await flaky.credits.balance()).toMatchObject({ remaining: 395 });

  // Both requests counted against the key's 2 calls an hour; the next is 429 rate_limited with
  // Retry-After (the window's end). Within the client's cap it waits that long before each retry.
  const patient = clientFor(baseURL!, key, { maxRetries: 2, maxRetryDelayMs: 2 * 60 * 60 * 1000 });
  const limited = await patient.credits.track({ action: "aria.chat" }).catch((err: unknown) => err);
  expect(limited).toBeInstanceOf(RateLimitedError);
  expect(patient.requests).toHaveLength(3);
  expect(patient.sleeps).toHaveLength(2);
  for (const ms of patient.sleeps) expect(ms).toBeGreaterThan(0);
  expect(patient.sleeps[0]! % 1000).toBe(0); // whole seconds: the server's Retry-After

  // With the default cap (30 s) a longer wait is not made: thrown at once (unless the hour ends within
  // 30 s, when the client waits for it like above).
  const impatient = clientFor(baseURL!, key);
  await expect(impatient.credits.track({ action: "aria.chat" })).rejects.toBeInstanceOf(RateLimitedError);
  if (patient.sleeps[0]! > 30_000) expect(impatient.requests).toHaveLength(1);
  else expect(impatient.sleeps.length).toBeGreaterThan(0);
});
