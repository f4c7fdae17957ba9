import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { ActionKey } from "@/components/ui/action-key";
import { formatCredits } from "@/lib/format";

/** A wallet address or transaction hash cut to its ends: 0x12345678…abcdef. */
export const shortHex = (hex: string) => `${hex.slice(0, 10)}…${hex.slice(-6)}`;

/** A payment's USDC amount and, under it, the credits it is worth. */
export function UsdcAmount({ usdc, credits }: { usdc: string; credits: number }) {
  return (
    <>
      ${usdc}
      <span className="block text-xs text-slate-500">
        {formatCredits(credits)} {credits === 1 ? "credit" : "credits"}
      </span>
    </>
  );
}

/** What an x402 payment bought (a call of an action, or a pack) and the workspace it went to: one cell of the console's payment tables. */
export function X402PaymentWhat({
  p,
}: {
  p: { purpose: "CREDITS" | "USAGE"; actionKey: string | null; packId: string | null; workspaceId: string | null };
}) {
  return (
    <>
      <Badge tone={p.purpose === "USAGE" ? "brand" : "success"}>{p.purpose === "USAGE" ? "Call" : "Pack"}</Badge>{" "}
      {p.purpose === "USAGE" && p.actionKey ? (
        <ActionKey value={p.actionKey} className="text-xs" />
      ) : (
        <span className="font-mono text-xs">{p.packId}</span>
      )}
      {p.workspaceId ? (
        <Link href={`/admin/workspaces/${p.workspaceId}`} className="mt-1 block text-xs text-indigo-700 hover:text-indigo-600">
          Workspace
        </Link>
      ) : null}
    </>
  );
}
