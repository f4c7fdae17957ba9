import type { Metadata } from "next";
import { requireWorkspace } from "@/lib/auth/session";
import { previewDeletion } from "@/lib/accounts/delete";
import { verificationStatus } from "@/lib/accounts/verification";
import { Badge } from "@/components/ui/badge";
import { CardBody, TitledCard } from "@/components/ui/card";
import { DeleteAccountForm } from "@/components/account/delete-account-form";
import { SignOutEverywhereButton } from "@/components/layout/sign-out-button";
import { Button } from "@/components/ui/button";
import { usageMailOptedOut } from "@/lib/mail/unsubscribe";
import { PageHeader } from "@/components/ui/page-header";
import { deleteAccountAction, signOutEverywhereAction, updateMailSettingsAction } from "./actions";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const { user } = await requireWorkspace();
  const [plan, verification, optedOut] = await Promise.all([
    previewDeletion(user.id),
    verificationStatus(user.id),
    usageMailOptedOut(user.id),
  ]);
  return (
    <div className="space-y-6">
      <PageHeader title="Account" description="Your sign-in and what happens to your data if you leave." />
      <TitledCard title="Sign-in">
        <CardBody>
          <dl className="grid gap-4 text-sm sm:grid-cols-2">
            <div>
              <dt className="text-slate-500">Email</dt>
              <dd className="mt-1 flex flex-wrap items-center gap-2 font-medium text-slate-900">
                <span className="break-all">{user.email}</span>
                {verification.verified ? <Badge tone="success">Verified</Badge> : <Badge tone="warning">Not verified</Badge>}
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">Name</dt>
              <dd className="mt-1 font-medium text-slate-900">{user.name ?? "—"}</dd>
            </div>
          </dl>
          <p className="mt-4 text-sm text-slate-600">
            To change your password, sign out and choose “Forgot password?” on the sign-in page: every device is signed out when it changes.
          </p>
          <div className="mt-4 flex flex-col gap-3 border-t border-slate-100 pt-4 sm:flex-row sm:items-center sm:justify-between">
            <p className="text-sm text-slate-600">
              Lost a device, or signed in somewhere you should not have? End every session, this one included.
            </p>
            <SignOutEverywhereButton action={signOutEverywhereAction} />
          </div>
        </CardBody>
      </TitledCard>
      <TitledCard title="Billing mail" description="What we mail you about the workspaces you own.">
        <CardBody>
          <form action={updateMailSettingsAction} className="space-y-4 text-sm text-slate-700">
            <label className="flex items-start gap-3">
              <input
                type="checkbox"
                name="usageNotices"
                defaultChecked={!optedOut}
                className="mt-0.5 size-4 rounded border-slate-300 text-indigo-600"
              />
              <span>
                <span className="font-medium text-slate-900">Usage notices</span>: when a workspace uses 50, 80 or 100% of its plan’s
                credits (the thresholds chosen in Settings → Alerts) or runs out of credits.
              </span>
            </label>
            <p>
              Notices about failed payments, trials ending, plan changes and failed auto top-ups are always sent: they are about your money.
            </p>
            <Button type="submit" variant="secondary">
              Save mail settings
            </Button>
          </form>
        </CardBody>
      </TitledCard>
      <TitledCard className="ring-red-200" title="Delete my account" description="This cannot be undone.">
        <CardBody className="space-y-4 text-sm text-slate-700">
          <ul className="list-disc space-y-1 pl-5">
            <li>Your email, name and password are erased and you are signed out everywhere.</li>
            {plan.close.length > 0 ? (
              <li>
                {plan.close.map((w) => `“${w.name}”`).join(", ")} {plan.close.length === 1 ? "is" : "are"} closed: API keys stop working and
                any subscription is cancelled. Its ledger is kept, without your name on it, as billing records must be.
              </li>
            ) : null}
            {plan.leave.length > 0 ? (
              <li>
                You leave {plan.leave.map((w) => `“${w.name}”`).join(", ")}; it keeps working for its other members, and the API keys you
                created there are revoked.
              </li>
            ) : null}
            <li>Export your workspace data first (Settings → Data) if you want a copy.</li>
          </ul>
          {plan.blockers.length > 0 ? (
            <p role="alert" className="rounded-md bg-amber-50 px-3 py-2.5 text-amber-900 ring-1 ring-inset ring-amber-200">
              You are the last owner of {plan.blockers.map((b) => `“${b.name}”`).join(", ")}, which other people still use. Make one of them
              an owner first, then come back.
            </p>
          ) : (
            <DeleteAccountForm email={user.email} action={deleteAccountAction} />
          )}
        </CardBody>
      </TitledCard>
    </div>
  );
}
