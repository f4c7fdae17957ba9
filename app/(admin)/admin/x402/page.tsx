import type { Metadata } from "next";
import Link from "next/link";
import { currentAdmin, requireAdmin } from "@/lib/auth/session";
import { x402Overview } from "@/lib/admin/x402";
import { x402Config } from "@/lib/env";
import { formatCredits } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody } from "@/components/ui/card";
import { ScrollArea } from "@/components/ui/scroll-area";
import { LocalTime } from "@/components/billing/local-time";
import { X402PaymentWhat } from "@/components/admin/x402-payment-what";
import { ActionKey } from "@/components/ui/action-key";
import { PageHeader } from "@/components/admin/page-header";
import { Stat } from "@/components/admin/stat";
import { StuckPayments } from "@/components/admin/x402-stuck-payments";
import { recordX402PaymentAction, refundX402PaymentAction } from "./actions";

// Titles only for operators: anyone else gets the 404 page's, so the title does not hint at the console.
export async function generateMetadata(): Promise<Metadata> {
  return (await currentAdmin()) ? { title: "x402 payments" } : {};
}

const short = (hex: string) => `${hex.slice(0, 10)}…${hex.slice(-6)}`;

export default async function AdminX402Page() {
  await requireAdmin();
  const config = x402Config();
  const o = await x402Overview();
  return (
    <div className="space-y-6">
      <PageHeader
        title="x402 payments"
        description={
          <>
            USDC paid over x402 by agents: single calls paid instead of credits, and credit packs bought with a wallet.{" "}
            {config.enabled ? (
              <>
                Pay-per-call is <strong>on</strong> ({config.network}, paid to <span className="font-mono">{config.payTo}</span>).
              </>
            ) : (
              <>
                Pay-per-call is <strong>off</strong> (X402_ENABLED).
              </>
            )}
          </>
        }
      />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat label="x402 revenue" value={`$${o.revenueUsdc}`} hint="USDC settled, all time" />
        <Stat label="Paid calls" value={formatCredits(o.calls)} hint={`$${o.callsRevenueUsdc} in USDC`} />
        <Stat
          label="Packs bought with USDC"
          value={formatCredits(o.packs)}
          hint={`$${o.packsRevenueUsdc} · ${formatCredits(o.packCredits)} credits`}
        />
        <Stat
          label="Settled, not recorded"
          value={formatCredits(o.unrecorded)}
          hint="Money moved but the grant or event failed: listed below to credit or refund"
          tone={o.unrecorded > 0 ? "warning" : "neutral"}
        />
      </div>
      <Card aria-labelledby="x402-stuck-heading">
        <CardBody>
          <h2 id="x402-stuck-heading" className="text-base font-semibold text-slate-900">
            Settled, not recorded
          </h2>
          <p className="mt-1 text-sm text-slate-600">
            The USDC moved on chain but the credits or the call were not recorded. Pack purchases are retried every minute until they are
            credited, once. Credit one now, or mark it refunded after returning the USDC from the receiving wallet by hand. Both need a
            reason and go to the audit log.
          </p>
        </CardBody>
        <StuckPayments
          rows={o.stuck.map(({ amount: _amount, ...p }) => ({
            ...p,
            createdAt: p.createdAt.toISOString(),
            retryAt: p.retryAt?.toISOString() ?? null,
          }))}
          record={recordX402PaymentAction}
          refund={refundX402PaymentAction}
        />
      </Card>
      <Card aria-labelledby="x402-tools-heading">
        <CardBody>
          <h2 id="x402-tools-heading" className="text-base font-semibold text-slate-900">
            Calls per tool
          </h2>
          {o.tools.length === 0 ? <p className="mt-2 text-sm text-slate-500">No call has been paid with x402 yet.</p> : null}
        </CardBody>
        {o.tools.length > 0 ? (
          <ScrollArea label="x402 calls per tool">
            <table className="w-full min-w-[32rem] text-sm">
              <caption className="sr-only">Calls paid with x402, per tool</caption>
              <thead>
                <tr className="border-b border-slate-200 bg-slate-50/60 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
                  <th scope="col" className="py-2.5 pl-5 pr-3 font-medium sm:pl-6">
                    Tool
                  </th>
                  <th scope="col" className="px-3 py-2.5 text-right font-medium">
                    Calls
                  </th>
                  <th scope="col" className="px-3 py-2.5 text-right font-medium">
                    Credits&apos; worth
                  </th>
                  <th scope="col" className="py-2.5 pl-3 pr-5 text-right font-medium sm:pr-6">
                    Revenue (USDC)
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {o.tools.map((t) => (
                  <tr key={t.actionKey}>
                    <td className="py-3 pl-5 pr-3 text-xs text-slate-900 sm:pl-6">
                      <ActionKey value={t.actionKey} />
                    </td>
                    <td className="px-3 py-3 text-right tabular-nums">{formatCredits(t.calls)}</td>
                    <td className="px-3 py-3 text-right tabular-nums">{formatCredits(t.credits)}</td>
                    <td className="py-3 pl-3 pr-5 text-right tabular-nums sm:pr-6">${t.revenueUsdc}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
        ) : null}
      </Card>
      <Card aria-labelledby="x402-recent-heading">
        <CardBody>
          <h2 id="x402-recent-heading" className="text-base font-semibold text-slate-900">
            Latest payments
          </h2>
          {o.recent.length === 0 ? <p className="mt-2 text-sm text-slate-500">No x402 payment yet.</p> : null}
        </CardBody>
        {o.recent.length > 0 ? (
          <ScrollArea label="Latest x402 payments">
            <table className="w-full min-w-[56rem] text-sm">
              <caption className="sr-only">The latest settled x402 payments, newest first</caption>
              <thead>
                <tr className="border-b border-slate-200 bg-slate-50/60 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
                  <th scope="col" className="py-2.5 pl-5 pr-3 font-medium sm:pl-6">
                    Settled
                  </th>
                  <th scope="col" className="px-3 py-2.5 font-medium">
                    For
                  </th>
                  <th scope="col" className="px-3 py-2.5 font-medium">
                    Payer
                  </th>
                  <th scope="col" className="px-3 py-2.5 font-medium">
                    Transaction
                  </th>
                  <th scope="col" className="py-2.5 pl-3 pr-5 text-right font-medium sm:pr-6">
                    Amount
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {o.recent.map((p) => (
                  <tr key={p.id}>
                    <td className="whitespace-nowrap py-3 pl-5 pr-3 text-slate-600 sm:pl-6">
                      <LocalTime iso={(p.settledAt ?? p.createdAt).toISOString()} />
                      {p.status === "SETTLING" ? (
                        <span className="mt-1 block">
                          <Badge tone="danger">Not recorded</Badge>
                        </span>
                      ) : null}
                      {p.status === "REFUNDED" ? (
                        <span className="mt-1 block" title={p.note ?? undefined}>
                          <Badge tone="neutral">Refunded</Badge>
                        </span>
                      ) : null}
                    </td>
                    <td className="px-3 py-3">
                      <X402PaymentWhat p={p} />
                    </td>
                    <td className="px-3 py-3 font-mono text-xs" title={p.payer}>
                      {short(p.payer)}
                    </td>
                    <td className="px-3 py-3 font-mono text-xs" title={p.transaction ?? ""}>
                      {p.transaction ? (
                        <Link
                          href={`/admin/ledger?reference=${encodeURIComponent(p.transaction)}`}
                          className="text-indigo-700 hover:text-indigo-600"
                        >
                          {short(p.transaction)}
                        </Link>
                      ) : (
                        "—"
                      )}
                      <span className="block text-slate-500">{p.network}</span>
                    </td>
                    <td className="py-3 pl-3 pr-5 text-right tabular-nums sm:pr-6">
                      ${p.amountUsdc}
                      <span className="block text-xs text-slate-500">
                        {formatCredits(p.credits)} {p.credits === 1 ? "credit" : "credits"}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
        ) : null}
      </Card>
    </div>
  );
}
