import type { Metadata } from "next";
import { AuthCard } from "@/components/auth/auth-card";
import { ForgotPasswordForm } from "@/components/auth/forgot-password-form";
import { outboxVisible } from "@/lib/mail";
import { forgotPasswordAction } from "./actions";

export const metadata: Metadata = { title: "Reset your password" };

export default function ForgotPasswordPage() {
  return (
    <AuthCard
      title="Reset your password"
      intro="Enter the email address of your account and we’ll send you a link to choose a new password."
      footer={{ prompt: "Remembered it?", href: "/login", link: "Back to sign in" }}
    >
      <ForgotPasswordForm action={forgotPasswordAction} outbox={outboxVisible()} />
    </AuthCard>
  );
}
