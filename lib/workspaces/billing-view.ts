/**
 * What both an operator's workspace page (lib/admin/workspaces.ts) and a workspace's data export
 * (lib/accounts/export.ts) read of a workspace: its names, billing state with Stripe, a pending plan
 * change and when it was created. Each adds the fields only it needs.
 */
export const WORKSPACE_BILLING_VIEW = {
  id: true,
  name: true,
  externalId: true,
  billingInterval: true,
  subscriptionStatus: true,
  stripeCustomerId: true,
  stripeSubscriptionId: true,
  pendingPlanId: true,
  pendingPlanAt: true,
  pastDueSince: true,
  createdAt: true,
} as const;
