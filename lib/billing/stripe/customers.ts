import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { stripe } from "@/lib/billing/stripe/client";

/**
 * The workspace's Stripe customer, created on first need. Two concurrent first purchases create one
 * customer: the Idempotency-Key makes Stripe answer both with the same object, and the conditional
 * update stores it once.
 */
export async function ensureCustomer(workspaceId: string, email: string): Promise<string> {
  const workspace = await db.workspace.findUnique({ where: { id: workspaceId }, select: { name: true, stripeCustomerId: true } });
  if (!workspace) throw new AppError("not_found", "Workspace not found.");
  if (workspace.stripeCustomerId) return workspace.stripeCustomerId;
  const customer = await stripe().customers.create(
    { email, name: workspace.name, metadata: { workspace_id: workspaceId } },
    { idempotencyKey: `creditbook-customer-${workspaceId}` },
  );
  await db.workspace.updateMany({ where: { id: workspaceId, stripeCustomerId: null }, data: { stripeCustomerId: customer.id } });
  const stored = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { stripeCustomerId: true } });
  return stored.stripeCustomerId ?? customer.id;
}
