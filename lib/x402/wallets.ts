import "server-only";
import { createHash } from "node:crypto";
import type { Db, Tx } from "@/lib/db";
import { createApiKey } from "@/lib/metering/keys";
import { createWorkspace } from "@/lib/workspaces/create";
import { WALLET_EXTERNAL_ID_PREFIX } from "@/lib/workspaces/external-ids";

/**
 * A wallet's workspace, derived from the lower-cased address (as seed 003's provider does): the same
 * wallet always lands in the same workspace, whichever instance serves it. Its id is deterministic and
 * its external id is `x402:<address>`, a space no platform key may take (lib/workspaces/external-ids.ts).
 */
export function walletWorkspace(address: string): { id: string; externalId: string; name: string } {
  const lower = address.toLowerCase();
  return {
    id: `x402_${createHash("sha256").update(lower).digest("hex").slice(0, 24)}`,
    externalId: `${WALLET_EXTERNAL_ID_PREFIX}${lower}`,
    name: `Wallet ${lower.slice(0, 6)}…${lower.slice(-4)}`,
  };
}

/**
 * The wallet's workspace, found by either id: its deterministic id (made by its first payment), else
 * its external id in any case — a row a platform key made with PUT /api/v1/workspaces/x402:<wallet>
 * before that space was reserved. Creating a second workspace beside such a row would break the unique
 * external id, after the money moved (issue 19). The expression index
 * "Workspace_wallet_externalId_idx" serves the second lookup.
 */
export async function findWalletWorkspace(client: Tx | Db, payer: string): Promise<{ id: string } | null> {
  const wallet = walletWorkspace(payer);
  const own = await client.workspace.findUnique({ where: { id: wallet.id }, select: { id: true } });
  if (own) return own;
  const linked = await client.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Workspace"
     WHERE lower("externalId") LIKE 'x402:%' AND lower("externalId") = ${wallet.externalId}
     ORDER BY "createdAt", id LIMIT 1`;
  return linked[0] ?? null;
}

/**
 * The wallet's workspace for a settled payment, made (Free plan, no sign-up bonus: a wallet is not a
 * verified person) when it has none. With `issueKey`, the answer to the paying wallet carries an API key,
 * shown once, when its own workspace has none yet: on its first payment, or on the first after the
 * recovery job made the workspace (lib/x402/recovery.ts; nobody could see a key made there). A
 * workspace a platform key made is found and credited but gets no key: it is the platform's customer's.
 */
export async function walletWorkspaceFor(
  tx: Tx,
  payer: string,
  at: Date,
  options: { issueKey: boolean },
): Promise<{ workspaceId: string; created: boolean; key: string | null }> {
  const wallet = walletWorkspace(payer);
  // The workspace lock's key (lib/credits/ledger.ts lockWorkspace), taken before the workspace exists:
  // two first payments of one wallet at once make one workspace and one key; the second waits, then finds it.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${wallet.id}, 0))`;
  const existing = await findWalletWorkspace(tx, payer);
  const newKey = async () => (await createApiKey({ kind: "WORKSPACE", workspaceId: wallet.id, name: "x402 wallet key" }, tx)).key;
  if (!existing) {
    await createWorkspace(tx, { id: wallet.id, name: wallet.name, externalId: wallet.externalId, signupBonus: false, at });
    return { workspaceId: wallet.id, created: true, key: options.issueKey ? await newKey() : null };
  }
  const keyless = options.issueKey && existing.id === wallet.id && (await tx.apiClient.count({ where: { workspaceId: wallet.id } })) === 0;
  return { workspaceId: existing.id, created: false, key: keyless ? await newKey() : null };
}
