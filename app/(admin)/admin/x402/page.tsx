import Link from "next/link";
import { requireAdmin } from "@/lib/auth/session";
import { adminMetadata } from "@/app/(admin)/admin/metadata";
import { x402Overview } from "@/lib/admin/x402";
import { x402Config } from "@/lib/env";
import { formatCredits } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody } from "@/components/ui/card";
import { TableCard } from "@/components/ui/table-card";
import { LocalTime } from "@/components/billing/local-time";
import { shortHex as short, UsdcAmount, X402PaymentWhat } from "@/components/admin/x402-payment-what";
import { ActionKey } from "@/components/ui/action-key";
import { PageHeader } from "@/components/ui/page-header";
import { Stat } from "@/components/admin/stat";
import { StuckPayments } from "@/components/admin/x402-stuck-payments";
import { recordX402PaymentAction, refundX402PaymentAction } from "./actions";

export const generateMetadata = adminMetadata("x402 payments");

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
      <TableCard
        title="Calls per tool"
        caption="Calls paid with x402, per tool"
        scroll={{ label: "x402 calls per tool", minWidth: "min-w-[32rem]" }}
        rows={o.tools}
        rowKey={(t) => t.actionKey}
        empty="No call has been paid with x402 yet."
        columns={[
          { header: "Tool", cellClassName: "text-xs text-slate-900", cell: (t) => <ActionKey value={t.actionKey} /> },
          { header: "Calls", align: "right", cell: (t) => formatCredits(t.calls) },
          { header: "Credits' worth", align: "right", cell: (t) => formatCredits(t.credits) },
          { header: "Revenue (USDC)", align: "right", cell: (t) => `$${t.revenueUsdc}` },
        ]}
      />
      <TableCard
        title="Latest payments"
        caption="The latest settled x402 payments, newest first"
        scroll={{ label: "Latest x402 payments", minWidth: "min-w-[56rem]" }}
        rows={o.recent}
        empty="No x402 payment yet."
        columns={[
          {
            header: "Settled",
            cellClassName: "whitespace-nowrap text-slate-600",
            cell: (p) => (
              <>
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
              </>
            ),
          },
          { header: "For", cell: (p) => <X402PaymentWhat p={p} /> },
          { header: "Payer", cellClassName: "font-mono text-xs", cell: (p) => <span title={p.payer}>{short(p.payer)}</span> },
          {
            header: "Transaction",
            cellClassName: "font-mono text-xs",
            cell: (p) => (
              <>
                {p.transaction ? (
                  <Link
                    href={`/admin/ledger?reference=${encodeURIComponent(p.transaction)}`}
                    className="text-indigo-700 hover:text-indigo-600"
                    title={p.transaction}
                  >
                    {short(p.transaction)}
                  </Link>
                ) : (
                  "—"
                )}
                <span className="block text-slate-500">{p.network}</span>
              </>
            ),
          },
          { header: "Amount", align: "right", cell: (p) => <UsdcAmount usdc={p.amountUsdc} credits={p.credits} /> },
        ]}
      />
    </div>
  );
}
