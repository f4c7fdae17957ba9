import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { env } from "@/lib/env";
import { getSessionUser } from "@/lib/auth/session";
import { LoginForm } from "@/components/auth/login-form";
import { AuthCard, AuthLink } from "@/components/auth/auth-card";
import { DEMO_ADMIN } from "@/lib/admin/demo";
import { safeRedirectPath } from "@/lib/auth/redirects";

export const metadata: Metadata = { title: "Sign in" };

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
    <AuthCard title="Sign in to Creditbook" notice={notice} footer={{ prompt: "New here?", href: "/signup", link: "Create an account" }}>
      <LoginForm next={next} demo={demo} />
      <p className="mt-4 text-center text-sm">
        <AuthLink href="/forgot-password">Forgot password?</AuthLink>
      </p>
      {demo ? (
        <p className="mt-5 border-t border-slate-100 pt-4 text-sm text-slate-600">
          Operator console (<span className="font-mono">/admin</span>): sign in as <span className="font-mono">{DEMO_ADMIN.email}</span>{" "}
          with password <span className="font-mono">{DEMO_ADMIN.password}</span>.
        </p>
      ) : null}
    </AuthCard>
  );
}
