/**
 * What the billing figures mean, defined once (docs/decisions/014-billing-figures.md) and used by
 * Settings → Billing, the upgrade prompt, usage alerts and their mail, and the balance API:
 *
 * - **used** — credits charged by actions completed this period, net of refunds, from every bucket
 *   (plan allowance, bonus, purchased);
 * - **allowance used** — what has been spent of this period's plan allowance (its SUBSCRIPTION grant):
 *   never more than the allowance, and the only figure an allowance percentage, bar, prompt or alert
 *   is measured with. Bonus and purchased credits are spent after the allowance (lib/credits/allocate.ts),
 *   so they never push it past 100 %;
 * - **unmetered** — of used: what drew on no grant (calls paid per call with x402; every call of an
 *   unlimited plan). Shown apart; it never pushes an allowance percentage nor counts as bonus or purchased;
 * - **beyond the plan** — used − unmetered − allowance used: what came from bonus and purchased credits;
 * - **remaining** — spendable credits now, in every bucket (held credits excluded).
 */
export type AllowanceFigures = {
  /** The plan's monthly allowance; null when unlimited. */
  allowance: number | null;
  allowanceUsed: number;
  /** Credits used this period beyond the plan's allowance (bonus and purchased). */
  beyondPlan: number;
  /** allowanceUsed as a whole percentage of the allowance, 0–100. */
  percent: number;
};

export function allowanceFigures(input: {
  allowance: number | null;
  allowanceGrant: { amount: number; remaining: number } | null;
  used: number;
  unmetered?: number;
}): AllowanceFigures {
  const { allowance, allowanceGrant } = input;
  // Only credits drawn from grants can be of the allowance, bonus or purchased.
  const fromGrants = Math.max(0, input.used - Math.max(0, input.unmetered ?? 0));
  if (allowance === null || allowance <= 0) return { allowance, allowanceUsed: 0, beyondPlan: fromGrants, percent: 0 };
  const spent = allowanceGrant ? allowanceGrant.amount - allowanceGrant.remaining : 0;
  const allowanceUsed = Math.min(allowance, Math.max(0, spent), fromGrants);
  return {
    allowance,
    allowanceUsed,
    beyondPlan: fromGrants - allowanceUsed,
    percent: Math.min(100, Math.floor((allowanceUsed * 100) / allowance)),
  };
}
