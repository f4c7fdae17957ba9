import type { Metadata } from "next";
import { requireWorkspace } from "@/lib/auth/session";
import { getAlertSettings } from "@/lib/alerts/settings";
import { recentUsageAlerts } from "@/lib/alerts/usage-alerts";
import { CardBody, TitledCard } from "@/components/ui/card";
import { AlertSettingsForm } from "@/components/alerts/alert-settings-form";
import { RecentAlerts } from "@/components/alerts/recent-alerts";
import { PageHeader } from "@/components/ui/page-header";
import { updateAlertSettingsAction } from "./actions";

export const metadata: Metadata = { title: "Alerts" };

export default async function AlertsPage() {
  const { workspace, role } = await requireWorkspace();
  const owner = role === "OWNER";
  const [settings, recent] = await Promise.all([getAlertSettings(workspace.id, { owner }), recentUsageAlerts(workspace.id)]);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Usage alerts"
        description={
          <>
            When {workspace.name} uses a chosen share of its monthly allowance or of a budget, the owners get a mail, everyone sees a notice
            on the Billing page, and your endpoint can hear about it too — and again when the alert resolves.
          </>
        }
      />
      {owner ? null : <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">Only workspace owners can change alerts.</p>}
      <TitledCard title="Thresholds and webhook">
        <CardBody>
          <AlertSettingsForm
            settings={{
              thresholds: settings.thresholds,
              webhookUrl: settings.webhookUrl,
              allowance: settings.plan.monthlyCredits,
              planName: settings.plan.name,
              signingSecret: settings.signingSecret,
            }}
            canManage={owner}
            action={updateAlertSettingsAction}
          />
        </CardBody>
      </TitledCard>
      <TitledCard title="Recent alerts" description="The latest thresholds reached, newest first: firing until they no longer hold.">
        <RecentAlerts alerts={recent} />
      </TitledCard>
    </div>
  );
}
