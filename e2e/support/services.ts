import pg from "pg";

/**
 * The e2e run's own PostgreSQL, Stripe emulator and app (started by playwright.config.ts).
 * E2E_PORT_OFFSET moves all three, so two checkouts on one machine can run their e2e tiers at once.
 */
const PORT_OFFSET = Number(process.env.E2E_PORT_OFFSET ?? 0) || 0;
export const E2E_APP_PORT = 3100 + PORT_OFFSET;
export const E2E_PG_PORT = 54350 + PORT_OFFSET;
export const E2E_DATABASE_URL = `postgresql://postgres:postgres@127.0.0.1:${E2E_PG_PORT}/creditbook`;
const STRIPE_PORT = 12150 + PORT_OFFSET;
/** The local x402 facilitator (scripts/x402-facilitator). */
export const E2E_X402_FACILITATOR_PORT = 12170 + PORT_OFFSET;
export const E2E_STRIPE = {
  port: STRIPE_PORT,
  base: `http://127.0.0.1:${STRIPE_PORT}`,
  key: "sk_test_creditbook_e2e",
  webhookSecret: "whsec_creditbook_e2e",
};

/** Moves the Stripe emulator's clock (the e2e account) to `at`. */
export async function setStripeClock(at: Date): Promise<void> {
  const res = await fetch(`${E2E_STRIPE.base}/_emulator/clock`, {
    method: "POST",
    headers: { authorization: `Bearer ${E2E_STRIPE.key}`, "content-type": "application/json" },
    body: JSON.stringify({ now: Math.floor(at.getTime() / 1000) }),
  });
  if (!res.ok) throw new Error(`moving the Stripe emulator's clock failed: ${res.status} ${await res.text()}`);
}

/**
 * For fixtures that need data no page can create yet (e.g. a second member of a workspace, before
 * invitations exist). Tests still assert only through the UI and HTTP.
 */
export async function sql<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: E2E_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}
