import type { Metadata } from "next";
import Link from "next/link";
import { signUpAction } from "./actions";
import { SignUpForm } from "@/components/auth/signup-form";
import { env } from "@/lib/env";
import { formatCredits } from "@/lib/format";

export const metadata: Metadata = { title: "Create account" };
export const dynamic = "force-dynamic";

export default function SignUpPage() {
  return (
    <>
      <h1 className="text-center text-2xl font-bold tracking-tight">Create your account</h1>
      <p className="mt-2 text-center text-sm text-slate-600">
        Free plan: 100 credits every month, plus {formatCredits(env.SIGNUP_BONUS_CREDITS)} bonus credits once you confirm your email.
      </p>
      <div className="mt-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200 sm:p-8">
        <SignUpForm action={signUpAction} />
      </div>
      <p className="mt-6 text-center text-sm text-slate-600">
        Already have an account?{" "}
        <Link href="/login" className="font-semibold text-indigo-600 hover:text-indigo-500">
          Sign in
        </Link>
      </p>
    </>
  );
}
