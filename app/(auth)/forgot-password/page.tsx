import type { Metadata } from "next";
import Link from "next/link";
import { ForgotPasswordForm } from "@/components/auth/forgot-password-form";
import { outboxVisible } from "@/lib/mail";
import { forgotPasswordAction } from "./actions";

export const metadata: Metadata = { title: "Reset your password" };
export const dynamic = "force-dynamic";

export default function ForgotPasswordPage() {
  return (
    <>
      <h1 className="text-center text-2xl font-bold tracking-tight">Reset your password</h1>
      <p className="mt-2 text-center text-sm text-slate-600">
        Enter the email address of your account and we’ll send you a link to choose a new password.
      </p>
      <div className="mt-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200 sm:p-8">
        <ForgotPasswordForm action={forgotPasswordAction} outbox={outboxVisible()} />
      </div>
      <p className="mt-6 text-center text-sm text-slate-600">
        Remembered it?{" "}
        <Link href="/login" className="font-semibold text-indigo-600 hover:text-indigo-500">
          Back to sign in
        </Link>
      </p>
    </>
  );
}
