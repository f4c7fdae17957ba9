import type { BudgetView } from "@/components/budgets/types";

export type TeamActionResult =
  | { ok: true; url?: string; email?: string; mailed?: boolean }
  | { ok: false; message?: string; fields?: Record<string, string>; upgrade?: { planName: string | null; href: string } };
export type TeamAction = (formData: FormData) => Promise<TeamActionResult>;

export type MemberView = {
  id: string;
  userId: string;
  email: string;
  name: string | null;
  role: "OWNER" | "MEMBER";
  joinedAt: string;
  you: boolean;
  /** Their credit budget: shown to owners, and to the member themselves; undefined: not shown to this viewer. */
  budget?: BudgetView | null;
};
export type InvitationView = {
  id: string;
  email: string;
  role: "OWNER" | "MEMBER";
  createdAt: string;
  expiresAt: string;
  expired: boolean;
  invitedBy: string | null;
};
