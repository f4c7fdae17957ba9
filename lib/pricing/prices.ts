import "server-only";
import type { Db, Tx } from "@/lib/db";

/** The price of an action in force at `at`: the highest version whose effectiveFrom has passed. */
export async function currentPrice(tx: Tx | Db, actionKey: string, at: Date) {
  return tx.actionPrice.findFirst({
    where: { actionKey, effectiveFrom: { lte: at } },
    orderBy: { version: "desc" },
  });
}
