// Agents paying with x402 against a running instance (the screenshots' app): two wallets buy packs, and an
// out-of-credits workspace's calls are paid one by one. Payments are signed by throwaway viem accounts
// through the official client (@x402/fetch + @x402/evm), settled by the local facilitator emulator.
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { wrapFetchWithPayment, x402Client } from "@x402/fetch";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { db } from "../lib/db.ts";
import { now } from "../lib/clock.ts";
import { adjust } from "../lib/credits/index.ts";
import { createApiKey } from "../lib/metering/keys.ts";
import { createWorkspace } from "../lib/workspaces/create.ts";

function payingFetch() {
  const account = privateKeyToAccount(generatePrivateKey());
  return wrapFetchWithPayment(
    fetch,
    x402Client.fromConfig({ schemes: [{ network: "eip155:*", client: new ExactEvmScheme(account) }], spendControls: false }),
  );
}

async function expectPaid(res: Response, what: string): Promise<void> {
  if (res.status !== 200 && res.status !== 201) throw new Error(`${what}: ${res.status} ${await res.text()}`);
}

export async function payWithX402(base: string): Promise<void> {
  const post = (body: unknown, headers: Record<string, string> = {}) => ({
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  for (const pack of ["starter_1000", "growth_5000"])
    await expectPaid(await payingFetch()(`${base}/api/x402/credits`, post({ pack_id: pack })), `buying ${pack}`);

  // A workspace whose allowance is used up: its calls are paid by the agent.
  const admin = await db.user.findFirstOrThrow({ where: { isAdmin: true }, select: { id: true } });
  const { id: workspaceId } = await db.$transaction((tx) =>
    createWorkspace(tx, { name: "Agent tools (out of credits)", signupBonus: false, at: now() }),
  );
  await adjust({ workspaceId, credits: -100, reason: "screenshots: an out-of-credits workspace", actorUserId: admin.id });
  const { key } = await createApiKey({ kind: "WORKSPACE", workspaceId, name: "agent gateway" });
  const pay = payingFetch();
  for (const action of ["aria.chat", "aria.chat", "aria.chat", "royalty.parse", "image.generate", "campaign.plan"]) {
    await expectPaid(await pay(`${base}/api/v1/track`, post({ action }, { authorization: `Bearer ${key}` })), `paying ${action}`);
  }
}
