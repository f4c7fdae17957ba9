import type { Metadata } from "next";
import { requireWorkspace } from "@/lib/auth/session";
import { getBalance } from "@/lib/credits";
import { BillingPanel } from "@/components/billing/billing-panel";

export const metadata: Metadata = { title: "Billing" };
export const dynamic = "force-dynamic";

export default async function BillingPage() {
  const { workspace } = await requireWorkspace();
  const balance = await getBalance(workspace.id);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight text-slate-900">Billing</h1>
        <p className="mt-1 text-sm text-slate-600">AI credit usage for {workspace.name}.</p>
      </div>
      <BillingPanel initial={balance} />
    </div>
  );
}
