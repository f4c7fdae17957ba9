import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { ActionKey } from "@/components/ui/action-key";

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
