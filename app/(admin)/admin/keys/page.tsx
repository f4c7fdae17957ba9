import { requireAdmin } from "@/lib/auth/session";
import { adminMetadata } from "@/app/(admin)/admin/metadata";
import { listPlatformKeys } from "@/lib/admin/platform-keys";
import { keyListItem } from "@/lib/metering/keys";
import { currentPrices } from "@/lib/pricing/catalog";
import { CardBody, TitledCard } from "@/components/ui/card";
import { CreateKeyForm } from "@/components/api-keys/create-key-form";
import { KeyList } from "@/components/api-keys/key-list";
import { PageHeader } from "@/components/ui/page-header";
import {
  createPlatformKeyAction,
  revokePlatformKeyAction,
  updatePlatformKeyCapAction,
  updatePlatformKeyOriginsAction,
  updatePlatformKeyWebhookAction,
} from "./actions";

export const generateMetadata = adminMetadata("Platform keys");

export default async function AdminKeysPage() {
  await requireAdmin();
  const [keys, prices] = await Promise.all([listPlatformKeys(), currentPrices()]);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Platform keys"
        description={
          <>
            Keys for your AI product&apos;s backend. A platform key acts on any workspace it names (
            <code className="text-xs">workspace_id</code> or <code className="text-xs">external_id</code>) and can create workspaces for
            your own customer ids. Its hourly cap applies per workspace.
          </>
        }
      />
      <TitledCard title="Create a platform key" description="The secret is shown once. Only its hash is stored.">
        <CardBody>
          <CreateKeyForm action={createPlatformKeyAction} actions={prices.map((p) => ({ key: p.actionKey, name: p.name }))} />
        </CardBody>
      </TitledCard>
      <TitledCard
        title="Keys"
        description="Revoking a key makes every call with it fail with 401 at once. Each change is in the audit log."
      >
        <KeyList
          keys={keys.map((k) => keyListItem(k, true))}
          canManage
          revokeAction={revokePlatformKeyAction}
          updateCapAction={updatePlatformKeyCapAction}
          updateWebhookAction={updatePlatformKeyWebhookAction}
          updateOriginsAction={updatePlatformKeyOriginsAction}
        />
      </TitledCard>
    </div>
  );
}
