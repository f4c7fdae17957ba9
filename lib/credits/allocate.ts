/**
 * Deduction order (pure). docs/design.md "Debits": SUBSCRIPTION → BONUS → PURCHASED; inside a type, soonest
 * expiry first (never-expiring last), then oldest. A debit is all or nothing.
 */
export type GrantType = "SUBSCRIPTION" | "BONUS" | "PURCHASED";
export type SpendableGrant = { id: string; type: GrantType; remaining: number; expiresAt: Date | null; createdAt: Date };
export type Allocation = { grantId: string; credits: number };

const TYPE_ORDER: Record<GrantType, number> = { SUBSCRIPTION: 0, BONUS: 1, PURCHASED: 2 };

export function compareSpendOrder(a: SpendableGrant, b: SpendableGrant): number {
  return (
    TYPE_ORDER[a.type] - TYPE_ORDER[b.type] ||
    (a.expiresAt?.getTime() ?? Infinity) - (b.expiresAt?.getTime() ?? Infinity) ||
    a.createdAt.getTime() - b.createdAt.getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Splits `credits` over the grants in spend order, or returns null when they cannot cover it all. */
export function allocate(grants: readonly SpendableGrant[], credits: number): Allocation[] | null {
  if (!Number.isSafeInteger(credits) || credits < 0) throw new RangeError(`credits must be a non-negative integer, got ${credits}`);
  const total = grants.reduce((sum, g) => sum + g.remaining, 0);
  if (total < credits) return null;
  const out: Allocation[] = [];
  let left = credits;
  for (const grant of [...grants].sort(compareSpendOrder)) {
    if (left === 0) break;
    const take = Math.min(left, grant.remaining);
    if (take > 0) out.push({ grantId: grant.id, credits: take });
    left -= take;
  }
  return out;
}
