import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { appUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { stripe } from "@/lib/billing/stripe/client";
import { ensureCustomer } from "@/lib/billing/stripe/customers";

export const packRequestSchema = z.strictObject({ pack_id: z.string().min(1).max(64) });
export const planRequestSchema = z.strictObject({
  plan: z.string().min(1).max(64),
  interval: z.enum(["month", "year"]).default("month"),
});
/** POST /api/stripe/change-plan: a plan and interval, with the proration date of the preview that was confirmed. */
export const planChangeRequestSchema = planRequestSchema.extend({ proration_date: z.number().int().positive().optional() });
/** POST /api/stripe/create-checkout: a credit pack, or a plan and its billing interval. */
export const checkoutRequestSchema = z.union([packRequestSchema, planRequestSchema]);
export type CheckoutRequest = z.infer<typeof packRequestSchema>;

/**
 * Where Stripe sends the customer back: Settings → Billing by default; the billing inside the AI
 * product (lib/portal-sessions) passes its own return page. `success` keeps Stripe's
 * {CHECKOUT_SESSION_ID} placeholder.
 */
export type ReturnUrls = { success: string; cancel: string };
export const SETTINGS_RETURN: () => ReturnUrls = () => ({
  success: appUrl("/settings/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}"),
  cancel: appUrl("/settings/billing?checkout=cancelled"),
});

/** What a pack checkout carries in its metadata: the purchase is granted from this, as sold. */
export const packMetadataSchema = z.object({
  workspace_id: z.string().min(1),
  pack_id: z.string().min(1),
  credits: z.coerce.number().int().positive(),
  validity_days: z.union([z.literal(""), z.coerce.number().int().positive()]).optional(),
});
export type PackMetadata = z.infer<typeof packMetadataSchema>;

/**
 * Opens a Stripe Checkout Session (mode payment) for one of the active credit packs. The credits are
 * granted by the webhook once Stripe says the session is paid, never here.
 */
export async function createPackCheckout(input: {
  workspaceId: string;
  email: string;
  request: CheckoutRequest;
  returnUrls?: ReturnUrls;
}): Promise<{ id: string; url: string }> {
  const pack = await db.creditPack.findUnique({ where: { id: input.request.pack_id } });
  if (!pack || !pack.active) {
    throw new AppError("invalid_pack", `There is no credit pack "${input.request.pack_id}" on sale.`, {
      nextStep: "Pick one of the packs listed by GET /api/v1/pricing.",
      details: { field: "pack_id" },
    });
  }
  const customer = await ensureCustomer(input.workspaceId, input.email);
  const metadata: Record<keyof PackMetadata, string> = {
    workspace_id: input.workspaceId,
    pack_id: pack.id,
    credits: String(pack.credits),
    validity_days: pack.validityDays ? String(pack.validityDays) : "",
  };
  const session = await stripe().checkout.sessions.create({
    mode: "payment",
    customer,
    client_reference_id: input.workspaceId,
    line_items: [
      pack.stripePriceId
        ? { price: pack.stripePriceId, quantity: 1 }
        : {
            price_data: {
              currency: "usd",
              unit_amount: pack.priceCents,
              product_data: { name: `${pack.name} — ${pack.credits.toLocaleString("en-US")} credits` },
            },
            quantity: 1,
          },
    ],
    metadata,
    payment_intent_data: { metadata, description: `${pack.name} credit pack` },
    success_url: (input.returnUrls ?? SETTINGS_RETURN()).success,
    cancel_url: (input.returnUrls ?? SETTINGS_RETURN()).cancel,
  });
  if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
  return { id: session.id, url: session.url };
}
