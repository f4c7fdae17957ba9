import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { env } from "@/lib/env";
import { getSessionUser } from "@/lib/auth/session";
import { LoginForm } from "@/components/auth/login-form";
import { DEMO_ADMIN } from "@/lib/admin/demo";
import { safeRedirectPath } from "@/lib/auth/redirects";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const NOTICES = {
  reset: "Your password was changed and every device signed out. Sign in with the new password.",
  deleted: "Your account was deleted. Thank you for using Creditbook.",
  everywhere: "You were signed out on every device.",
} as const;

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; reset?: string; deleted?: string; signedout?: string }>;
}) {
  const { callbackUrl, reset, deleted, signedout } = await searchParams;
  const notice = reset ? NOTICES.reset : deleted ? NOTICES.deleted : signedout === "everywhere" ? NOTICES.everywhere : null;
  // Only paths on this origin: never bounce a user to another site after sign-in (lib/auth/redirects.ts).
  const next = safeRedirectPath(callbackUrl);
  if (await getSessionUser()) redirect(next);
  const demo = env.DEMO_MODE ? { email: env.DEMO_EMAIL, password: env.DEMO_PASSWORD } : null;
  return (
    <>
      <h1 className="text-center text-2xl font-bold tracking-tight">Sign in to Creditbook</h1>
      {notice ? (
        <p role="status" className="mt-4 rounded-md bg-emerald-50 px-3 py-2.5 text-sm text-emerald-900 ring-1 ring-inset ring-emerald-200">
          {notice}
        </p>
      ) : null}
      <div className="mt-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200 sm:p-8">
        <LoginForm next={next} demo={demo} />
        <p className="mt-4 text-center text-sm">
          <Link href="/forgot-password" className="font-semibold text-indigo-600 hover:text-indigo-500">
            Forgot password?
          </Link>
        </p>
        {demo ? (
          <p className="mt-5 border-t border-slate-100 pt-4 text-sm text-slate-600">
            Operator console (<span className="font-mono">/admin</span>): sign in as <span className="font-mono">{DEMO_ADMIN.email}</span>{" "}
            with password <span className="font-mono">{DEMO_ADMIN.password}</span>.
          </p>
        ) : null}
      </div>
      <p className="mt-6 text-center text-sm text-slate-600">
        New here?{" "}
        <Link href="/signup" className="font-semibold text-indigo-600 hover:text-indigo-500">
          Create an account
        </Link>
      </p>
    </>
  );
}
