import "server-only";
import { db } from "@/lib/db";

/**
 * The operator console's x402 view (app/(admin)/admin/x402): USDC revenue and calls per tool from
 * settled X402Payment rows, the credit packs sold for USDC, the latest payments, and any payment that
 * settled but was not recorded (status SETTLING with a transaction: see lib/x402/recovery.ts), listed
 * for the operator to credit or mark refunded.
 * Amounts are USDC atomic units (6 decimals) summed as numeric, shown as USD strings.
 */

/** 12345678 atomic units → "12.345678"; trailing zeros trimmed to cents: "0.05", "10.00". */
export function usdcFromAtomic(atomic: bigint | string): string {
  const units = BigInt(atomic);
  const whole = units / 1_000_000n;
  const frac = (units % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "").padEnd(2, "0");
  return `${whole}.${frac}`;
}

/** What both payment lists show of a payment. */
const PAYMENT_FIELDS = {
  id: true,
  createdAt: true,
  purpose: true,
  payer: true,
  network: true,
  amount: true,
  credits: true,
  actionKey: true,
  packId: true,
  workspaceId: true,
  transaction: true,
} as const;

export type X402ToolRow = { actionKey: string; calls: number; credits: number; revenueUsdc: string };

export async function x402Overview(options: { since?: Date } = {}) {
  const since = options.since ?? new Date(0);
  const [tools, purposes, recent, unrecorded, stuck] = await Promise.all([
    db.$queryRaw<{ actionKey: string; calls: number; credits: bigint; amount: string }[]>`
      SELECT "actionKey", count(*)::int AS calls, sum(credits)::bigint AS credits, sum(amount)::text AS amount
        FROM "X402Payment"
       WHERE status = 'SETTLED' AND purpose = 'USAGE' AND "settledAt" >= ${since}
       GROUP BY "actionKey" ORDER BY sum(amount) DESC, "actionKey"`,
    db.$queryRaw<{ purpose: "CREDITS" | "USAGE"; payments: number; credits: bigint; amount: string }[]>`
      SELECT purpose, count(*)::int AS payments, sum(credits)::bigint AS credits, sum(amount)::text AS amount
        FROM "X402Payment"
       WHERE status = 'SETTLED' AND "settledAt" >= ${since}
       GROUP BY purpose`,
    // Settled payments, those whose money moved but whose grant or event was not recorded, and those refunded by hand.
    db.x402Payment.findMany({
      where: {
        createdAt: { gte: since },
        OR: [{ status: { in: ["SETTLED", "REFUNDED"] } }, { status: "SETTLING", transaction: { not: null } }],
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 20,
      select: { ...PAYMENT_FIELDS, status: true, settledAt: true, note: true },
    }),
    db.x402Payment.count({ where: { status: "SETTLING", transaction: { not: null } } }),
    // Every one still waiting, oldest first, for the operator to credit or refund (lib/x402/recovery.ts).
    db.x402Payment.findMany({
      where: { status: "SETTLING", transaction: { not: null } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: 50,
      select: {
        ...PAYMENT_FIELDS,
        recordAttempts: true,
        recordError: true,
        retryAt: true,
      },
    }),
  ]);
  const byPurpose = (p: "CREDITS" | "USAGE") => purposes.find((r) => r.purpose === p);
  const total = purposes.reduce((sum, r) => sum + BigInt(r.amount), 0n);
  return {
    revenueUsdc: usdcFromAtomic(total),
    calls: byPurpose("USAGE")?.payments ?? 0,
    callsRevenueUsdc: usdcFromAtomic(byPurpose("USAGE")?.amount ?? "0"),
    packs: byPurpose("CREDITS")?.payments ?? 0,
    packsRevenueUsdc: usdcFromAtomic(byPurpose("CREDITS")?.amount ?? "0"),
    packCredits: Number(byPurpose("CREDITS")?.credits ?? 0n),
    tools: tools.map((t): X402ToolRow => ({
      actionKey: t.actionKey,
      calls: t.calls,
      credits: Number(t.credits),
      revenueUsdc: usdcFromAtomic(t.amount),
    })),
    recent: recent.map((p) => ({ ...p, amountUsdc: usdcFromAtomic(p.amount) })),
    unrecorded,
    stuck: stuck.map((p) => ({ ...p, transaction: p.transaction!, amountUsdc: usdcFromAtomic(p.amount) })),
  };
}
