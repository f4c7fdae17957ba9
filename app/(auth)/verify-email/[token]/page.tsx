import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/lib/db";
import { peekToken } from "@/lib/accounts/tokens";
import { pendingBonus } from "@/lib/accounts/verification";
import { formatCredits } from "@/lib/format";
import { Button } from "@/components/ui/button";
import { verifyEmailAction } from "./actions";
import { AuthCard } from "@/components/auth/auth-card";

export const metadata: Metadata = { title: "Confirm your email" };

/**
 * The link in the verification mail. Opening it changes nothing (mail scanners open links too); the
 * button does.
 */
export default async function VerifyEmailPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const valid = await peekToken({ token, kind: "VERIFY_EMAIL" });
  const user = valid ? await db.user.findUnique({ where: { id: valid.userId }, select: { email: true, emailVerified: true } }) : null;
  const bonus = user && !user.emailVerified ? await pendingBonus(user.email) : null;
  return (
    <AuthCard title="Confirm your email">
      {user ? (
        <form action={verifyEmailAction} className="space-y-4 text-sm text-slate-700">
          <p>
            Confirm that <span className="font-medium text-slate-900">{user.email}</span> is your address.
            {bonus ? ` Your ${formatCredits(bonus)} bonus credits are added as soon as you do.` : null}
          </p>
          <input type="hidden" name="token" value={token} />
          <Button type="submit" className="w-full">
            Confirm my email
          </Button>
        </form>
      ) : (
        <div className="space-y-4 text-sm text-slate-700">
          <p role="alert" className="font-semibold text-slate-900">
            This confirmation link has expired or was already used.
          </p>
          <p>Links work once and for 24 hours. Sign in and choose “Resend” in the notice at the top of the portal to get a new one.</p>
          <Link
            href="/settings/billing"
            className="inline-flex w-full items-center justify-center rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-500"
          >
            Go to the portal
          </Link>
        </div>
      )}
    </AuthCard>
  );
}
