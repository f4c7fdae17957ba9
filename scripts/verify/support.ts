// Shared pieces of `npm run verify` (scripts/verify/index.ts) and of its small versions in the test
// suite (test/integration/verify.test.ts): how a scenario reaches the app, what it reports, and the
// ledger queries every scenario checks with.
//
// A scenario talks to the app only through `Target.fetch` (HTTP to a built instance in the harness,
// the route handlers called in-process in the tests) and reads the database through lib/ to check
// what the app did. It never imports app/ itself, so the same module runs in both places.
import type { Db } from "../../lib/db.ts";
import { mapLimit } from "../ledger-harness.ts";

export { Rng } from "../../lib/random.ts";
export { mapLimit };

/** One app instance as a scenario sees it. */
export type Target = {
  name: string;
  /** Like fetch(), relative to the instance (`/api/v1/track`). */
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
};

/** What a scenario prints as its row of the table. */
export type Outcome = {
  did: string;
  figures: string;
  ok: boolean;
  /** The first problems found (printed under the table when the scenario fails). */
  problems: string[];
  /** Lines printed under the table whatever the result (e.g. each security check). */
  notes?: string[];
};

/** Collects problems; keeps the first few messages and counts them all. */
export class Problems {
  readonly list: string[] = [];
  count = 0;
  add(message: string): void {
    this.count++;
    if (this.list.length < 20) this.list.push(message);
  }
}

/** A target that sends real HTTP to an instance on 127.0.0.1. */
export function httpTarget(name: string, base: string): Target {
  return { name, fetch: (path, init) => fetch(`${base}${path}`, init) };
}

export function jsonRequest(method: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  };
}

/** The body of a response as JSON, or null when it is not JSON. */
export async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** True when `body` is the documented error shape {"error": {"code", "message", "retryable", ...}}. */
export function isErrorShape(body: unknown): boolean {
  if (typeof body !== "object" || body === null) return false;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== "object" || error === null) return false;
  const e = error as Record<string, unknown>;
  return typeof e.code === "string" && e.code.length > 0 && typeof e.message === "string" && typeof e.retryable === "boolean";
}

/** What the ledger holds for some workspaces: compared before and after to prove nothing changed. */
export type LedgerSnapshot = { entries: number; events: number; remaining: number; sum: number };

export async function ledgerSnapshot(db: Db, workspaceIds: string[]): Promise<LedgerSnapshot> {
  const rows = await db.$queryRaw<LedgerSnapshot[]>`
    SELECT (SELECT count(*) FROM "LedgerEntry" WHERE "workspaceId" = ANY(${workspaceIds}::text[]))::int AS entries,
           (SELECT count(*) FROM "UsageEvent" WHERE "workspaceId" = ANY(${workspaceIds}::text[]))::int AS events,
           (SELECT coalesce(sum(remaining), 0) FROM "CreditGrant" WHERE "workspaceId" = ANY(${workspaceIds}::text[]))::int AS remaining,
           (SELECT coalesce(sum(amount), 0) FROM "LedgerEntry" WHERE "workspaceId" = ANY(${workspaceIds}::text[]))::int AS sum`;
  return rows[0]!;
}

export const sameSnapshot = (a: LedgerSnapshot, b: LedgerSnapshot) =>
  a.entries === b.entries && a.events === b.events && a.remaining === b.remaining && a.sum === b.sum;

/** Workspaces (Free plan unless told) and one workspace key each, made through lib/ as the portal would. */
export async function makeWorkspaces(
  db: Db,
  count: number,
  options: { prefix: string; planId?: (i: number) => string; hourlyCap?: number; maxPending?: number; at?: Date },
): Promise<{ id: string; key: string; clientId: string }[]> {
  const { createWorkspace } = await import("../../lib/workspaces/create.ts");
  const { createApiKey } = await import("../../lib/metering/keys.ts");
  const { now } = await import("../../lib/clock.ts");
  return mapLimit(
    Array.from({ length: count }, (_, i) => i),
    8,
    async (i) => {
      // Setup, not the thing measured: on a loaded machine a transaction may wait for a pooled connection
      // longer than Prisma's 2 s default, which once stopped a run before it began.
      const workspace = await db.$transaction(
        (tx) => createWorkspace(tx, { name: `${options.prefix} ${i + 1}`, planId: options.planId?.(i) ?? "free", at: options.at ?? now() }),
        {
          maxWait: 30_000,
          timeout: 30_000,
        },
      );
      const { key, client } = await createApiKey({
        kind: "WORKSPACE",
        workspaceId: workspace.id,
        name: `${options.prefix} key`,
        hourlyCap: options.hourlyCap,
        maxPending: options.maxPending,
      });
      return { id: workspace.id, key, clientId: client.id };
    },
  );
}

/** A test control of the Stripe emulator (/_emulator/…, on the account of `secretKey`); throws unless 2xx. */
export async function emulatorControl<T>(base: string, secretKey: string, method: "GET" | "POST", path: string, body?: object): Promise<T> {
  const res = await fetch(`${base}/_emulator${path}`, {
    method,
    headers: { authorization: `Bearer ${secretKey}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status >= 300) throw new Error(`emulator ${method} ${path} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

export function fmt(n: number): string {
  return n.toLocaleString("en-US");
}
