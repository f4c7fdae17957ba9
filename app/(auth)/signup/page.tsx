import type { Metadata } from "next";
import { signUpAction } from "./actions";
import { SignUpForm } from "@/components/auth/signup-form";
import { AuthCard } from "@/components/auth/auth-card";
import { env } from "@/lib/env";
import { formatCredits } from "@/lib/format";

export const metadata: Metadata = { title: "Create account" };

export default function SignUpPage() {
  return (
    <AuthCard
      title="Create your account"
      intro={`Free plan: 100 credits every month, plus ${formatCredits(env.SIGNUP_BONUS_CREDITS)} bonus credits once you confirm your email.`}
      footer={{ prompt: "Already have an account?", href: "/login", link: "Sign in" }}
    >
      <SignUpForm action={signUpAction} />
    </AuthCard>
  );
}
