// Contact sales requests for the screenshots' app, so /admin/leads has something to show: one from the
// signed-in demo user (naming the demo workspace), one from a visitor without an account, and one an
// operator has already handled. They go through lib/sales/leads.ts like the form's, mail and all.
import { db } from "../lib/db.ts";
import { submitSalesLead } from "../lib/sales/leads.ts";
import { markSalesLeadHandled } from "../lib/admin/sales-leads.ts";

export async function sendDemoLeads(demo: { email: string; userId: string; workspaceId: string }): Promise<void> {
  const admin = await db.user.findFirstOrThrow({ where: { isAdmin: true }, select: { id: true } });
  const handled = await submitSalesLead(
    {
      name: "Marcus Reyes",
      email: "marcus@northlight.example",
      company: "Northlight Podcasts",
      expectedMonthlyCredits: "40,000",
      message: "Looking at annual billing for Scale or Enterprise. Do you invoice in EUR?",
      planId: "enterprise",
      source: "pricing",
    },
    { ip: "203.0.113.10" },
  );
  await markSalesLeadHandled(handled.id, admin.id);
  await submitSalesLead(
    {
      name: "Priya Natarajan",
      email: "priya@wavecraft.example",
      company: "Wavecraft Audio",
      expectedMonthlyCredits: "2,500,000",
      message:
        "We run stem separation for about 300 labels and expect 2–3M credits a month by spring.\n\nWe need SSO, an annual invoice and a higher reservation cap per key. Could we talk this week?",
      planId: "enterprise",
      source: "pricing",
    },
    { ip: "203.0.113.20" },
  );
  await submitSalesLead(
    {
      name: "Demo Label",
      email: demo.email,
      company: "Demo Label",
      expectedMonthlyCredits: "120000",
      message: "Our Pro allowance runs out mid-month. What would unlimited credits cost for 12 seats?",
      planId: "enterprise",
      source: "billing",
    },
    { ip: "203.0.113.30", userId: demo.userId, workspaceId: demo.workspaceId },
  );
}
