-- Is period maintenance due for a workspace at p_at? (a rollover, an expired grant or hold, or a step of
-- the payment timeline): balance reads call it before reading (lib/credits/balance.ts).
-- Live definition: this file (prisma/sql/README.md says how to change it).
CREATE OR REPLACE FUNCTION "credits_maintenance_due"(p_workspace_id text, p_at timestamp(3)) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
           SELECT 1 FROM "Workspace" ws JOIN "Plan" p ON p.id = ws."planId"
            WHERE ws.id = p_workspace_id
              AND (   (ws."pendingPlanAt" IS NOT NULL AND ws."pendingPlanAt" <= p_at)
                   OR (p."monthlyCredits" IS NOT NULL AND ws."subscriptionStatus" <> 'PAUSED'
                       AND NOT EXISTS (SELECT 1 FROM "CreditGrant" cg
                                        WHERE cg."workspaceId" = ws.id AND cg.type = 'SUBSCRIPTION' AND cg."expiresAt" > p_at))
                   OR (ws."pastDueSince" IS NOT NULL AND ws."subscriptionStatus" IN ('PAST_DUE', 'PAUSED')
                       AND (p_at - ws."pastDueSince" >= interval '30 days'
                            OR (ws."subscriptionStatus" = 'PAST_DUE' AND p_at - ws."pastDueSince" >= interval '7 days')))))
      OR EXISTS (SELECT 1 FROM "CreditGrant" cg WHERE cg."workspaceId" = p_workspace_id AND cg.remaining > 0 AND cg."expiresAt" <= p_at)
      OR EXISTS (SELECT 1 FROM "UsageEvent" e WHERE e."workspaceId" = p_workspace_id AND e.status = 'PENDING' AND e."holdExpiresAt" <= p_at)
$$;
