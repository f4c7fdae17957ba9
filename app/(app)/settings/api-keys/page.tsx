import type { Metadata } from "next";
import { requireWorkspace } from "@/lib/auth/session";
import { keyListItem, listWorkspaceKeys } from "@/lib/metering/keys";
import { CardBody, TitledCard } from "@/components/ui/card";
import { CreateKeyForm } from "@/components/api-keys/create-key-form";
import { KeyList } from "@/components/api-keys/key-list";
import { budgetStatus } from "@/lib/credits";
import { PageHeader } from "@/components/ui/page-header";
import { createKeyAction, revokeKeyAction, updateCapAction, updateOriginsAction, updateWebhookAction } from "./actions";
import { removeBudgetAction, setBudgetAction } from "../budget-actions";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const { workspace, role } = await requireWorkspace();
  const [keys, budgets] = await Promise.all([listWorkspaceKeys(workspace.id), budgetStatus(workspace.id)]);
  const owner = role === "OWNER";
  return (
    <div className="space-y-6">
      <PageHeader
        title="API keys"
        description={
          <>
            Keys let your AI product debit, check and reserve credits for {workspace.name} over the metering API (
            <code className="rounded bg-slate-100 px-1 py-0.5 text-xs">Authorization: Bearer cb_live_…</code>).
          </>
        }
      />
      {owner ? (
        <TitledCard title="Create a key" description="The secret is shown once. Store it in your product's secret manager.">
          <CardBody>
            <CreateKeyForm action={createKeyAction} />
          </CardBody>
        </TitledCard>
      ) : (
        <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">Only workspace owners can create or revoke keys.</p>
      )}
      <TitledCard
        title="Keys"
        description="Each key may start 60 actions an hour by default (reads have a separate, generous limit). A budget caps the credits a key may spend per day, week or month."
      >
        <KeyList
          keys={keys.map((k) => ({
            // Owners see the secret that signs this key's webhooks.
            ...keyListItem(k, owner),
            budget: budgets.find((b) => b.scope === "api_key" && b.api_key_id === k.id) ?? null,
          }))}
          canManage={owner}
          revokeAction={revokeKeyAction}
          updateCapAction={updateCapAction}
          updateWebhookAction={updateWebhookAction}
          updateOriginsAction={updateOriginsAction}
          budgetActions={{ set: setBudgetAction, remove: removeBudgetAction }}
        />
      </TitledCard>
    </div>
  );
}
