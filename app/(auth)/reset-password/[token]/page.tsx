import type { Metadata } from "next";
import Link from "next/link";
import { peekToken } from "@/lib/accounts/tokens";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";
import { resetPasswordAction } from "./actions";
import { AuthCard } from "@/components/auth/auth-card";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  // Looking does not use the link: only choosing the password does.
  const valid = await peekToken({ token, kind: "RESET_PASSWORD" });
  return (
    <AuthCard title="Choose a new password" footer={{ href: "/login", link: "Back to sign in" }}>
      {valid ? (
        <ResetPasswordForm token={token} action={resetPasswordAction} />
      ) : (
        <div className="space-y-4 text-sm text-slate-700">
          <p role="alert" className="font-semibold text-slate-900">
            This reset link has expired or was already used.
          </p>
          <p>Links work once and for 1 hour. Ask for a new one and use the newest mail.</p>
          <Link
            href="/forgot-password"
            className="inline-flex w-full items-center justify-center rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-500"
          >
            Send me a new link
          </Link>
        </div>
      )}
    </AuthCard>
  );
}
