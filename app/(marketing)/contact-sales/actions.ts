"use server";

import { headers } from "next/headers";
import { actionFailure, type ActionFailure } from "@/lib/actions";
import { optionalWorkspace } from "@/lib/auth/session";
import { clientIp } from "@/lib/client-address";
import { submitSalesLead } from "@/lib/sales/leads";

export type ContactSalesState = { ok: true; email: string; name: string } | ActionFailure;

const field = (formData: FormData, name: string) => {
  const value = formData.get(name);
  return typeof value === "string" ? value : undefined;
};

/**
 * Public: anyone may ask sales a question. lib/sales/leads.ts validates the form again (whatever the
 * browser checked), throttles per client address and per reply address, stores the lead and mails the
 * operators. A signed-in visitor's lead names their current workspace, read from the session here,
 * never from the form.
 */
export async function contactSalesAction(formData: FormData): Promise<ContactSalesState> {
  try {
    const context = await optionalWorkspace();
    const lead = await submitSalesLead(
      {
        name: field(formData, "name"),
        email: field(formData, "email"),
        company: field(formData, "company"),
        expectedMonthlyCredits: field(formData, "expectedMonthlyCredits"),
        message: field(formData, "message"),
        planId: field(formData, "plan"),
        source: field(formData, "source"),
      },
      { ip: clientIp(await headers()), userId: context?.user.id ?? null, workspaceId: context?.workspace.id ?? null },
    );
    return { ok: true, email: lead.email, name: lead.name };
  } catch (err) {
    return actionFailure(err);
  }
}
