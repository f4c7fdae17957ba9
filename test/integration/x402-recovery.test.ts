import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { PUT as upsertWorkspace } from "@/app/api/v1/workspaces/[external_id]/route";
import { walletWorkspace } from "@/lib/x402/credits";
import { call, keyFor } from "./api-support";
import { expectInvariants } from "./helpers";
import { buyPack, newWallet } from "./x402-support";

// Issue 19, item 4: "An x402 wallet paid and got nothing."

describe("a platform key and a wallet's external id (regression)", () => {
  it("a platform key's PUT of x402:<wallet> cannot make that wallet's purchases fail after they settled", async () => {
    const wallet = newWallet();
    const { key } = await keyFor(null, { kind: "PLATFORM" });
    await call(upsertWorkspace, { method: "PUT", key, params: { external_id: `x402:${wallet.address}` }, body: {} });

    const first = await buyPack(wallet);
    expect(first.status).toBeLessThan(500);
    const second = await buyPack(wallet);
    expect(second.status).toBeLessThan(500);

    const payments = await db.x402Payment.findMany({ where: { payer: wallet.address } });
    expect(payments.map((p) => p.status)).toEqual(["SETTLED", "SETTLED"]);
    const workspace = await db.workspace.findFirstOrThrow({ where: { externalId: `x402:${wallet.address}` } });
    expect(await db.creditGrant.count({ where: { workspaceId: workspace.id, type: "PURCHASED" } })).toBe(2);
    await expectInvariants(workspace.id);
    expect(walletWorkspace(wallet.address).externalId).toBe(`x402:${wallet.address}`);
  });
});
