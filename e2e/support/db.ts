import pg from "pg";

/** The e2e run's own PostgreSQL (started by playwright.config.ts). */
export const E2E_PG_PORT = 54350;
export const E2E_DATABASE_URL = `postgresql://postgres:postgres@127.0.0.1:${E2E_PG_PORT}/creditbook`;

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
