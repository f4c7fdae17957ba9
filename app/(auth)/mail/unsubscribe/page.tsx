import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/lib/db";
import { validUnsubscribeToken } from "@/lib/mail/unsubscribe";
import { Button } from "@/components/ui/button";
import { unsubscribeAction } from "./actions";
import { AuthCard } from "@/components/auth/auth-card";

export const metadata: Metadata = { title: "Unsubscribe from usage notices" };

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v.slice(0, 200) : "");

/**
 * The link in a usage notice. Opening it changes nothing (mail scanners open links too); the button
 * does. Payment and subscription notices cannot be turned off here: they are about money.
 */
export default async function UnsubscribePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const userId = one(params.u);
  const token = one(params.t);
  const valid = validUnsubscribeToken(userId, token);
  const user = valid
    ? await db.user.findUnique({ where: { id: userId }, select: { email: true, usageMailOptOutAt: true, deletedAt: true } })
    : null;
  const done = params.done === "1" || Boolean(user?.usageMailOptOutAt);
  return (
    <AuthCard title="Usage notices">
      {!user || user.deletedAt ? (
        <p role="alert" className="text-sm font-semibold text-slate-900">
          This unsubscribe link is not valid. Sign in and change your mail settings in Settings → Account.
        </p>
      ) : done ? (
        <div className="space-y-4 text-sm text-slate-700">
          <p role="status" className="font-semibold text-slate-900">
            {user.email} no longer gets usage notices.
          </p>
          <p>
            Notices about payments, trials and plan changes still arrive: they are about your money. Turn usage notices back on in Settings
            → Account.
          </p>
          <Link href="/settings/account" className="font-medium text-indigo-700 underline hover:text-indigo-600">
            Settings → Account
          </Link>
        </div>
      ) : (
        <form action={unsubscribeAction} className="space-y-4 text-sm text-slate-700">
          <p>
            Stop mailing <span className="font-medium text-slate-900">{user.email}</span> when a workspace uses 50, 80 or 100% of its
            credits or runs out?
          </p>
          <p>Notices about payments, trials and plan changes still arrive.</p>
          <input type="hidden" name="u" value={userId} />
          <input type="hidden" name="t" value={token} />
          <Button type="submit" className="w-full">
            Unsubscribe from usage notices
          </Button>
        </form>
      )}
    </AuthCard>
  );
}
