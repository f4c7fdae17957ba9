import { AppError } from "@/lib/errors";

/**
 * External ids are the AI product's own customer ids (PUT /api/v1/workspaces/{external_id}). One
 * space of them is ours: `x402:<wallet address>` names the workspace an x402 wallet pays into
 * (lib/x402/wallets.ts, docs/decisions/010-x402.md). A platform key that took such an id would
 * own, or collide with, a wallet's workspace, so no path that sets an external id accepts it.
 */
export const WALLET_EXTERNAL_ID_PREFIX = "x402:";

// Spaces, control and invisible format characters (zero-width space/joiners, word joiner, BOM, soft hyphen).
const INVISIBLE = /[\s\p{Cc}\p{Cf}]/gu;

/** Whether `externalId` falls in the reserved space, however it is cased, padded or spelled in look-alike forms. */
export function isReservedExternalId(externalId: string): boolean {
  // NFKC folds compatibility forms (fullwidth ｘ４０２：, ligatures) into their ASCII letters first.
  const folded = externalId.normalize("NFKC").replace(INVISIBLE, "").toLowerCase();
  return folded.startsWith(WALLET_EXTERNAL_ID_PREFIX);
}

/** Throws 422 `reserved_external_id` for an id in the reserved space. */
export function assertExternalIdAllowed(externalId: string): void {
  if (isReservedExternalId(externalId)) {
    throw new AppError(
      "reserved_external_id",
      `External ids starting with "${WALLET_EXTERNAL_ID_PREFIX}" are reserved for the workspaces of x402 wallets.`,
      {
        nextStep: `Use another id for your customer (any prefix but "${WALLET_EXTERNAL_ID_PREFIX}"). A wallet's workspace is made by its first x402 payment (POST /api/x402/credits).`,
        details: { field: "external_id" },
      },
    );
  }
}
