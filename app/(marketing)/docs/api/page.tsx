import type { Metadata } from "next";
import Link from "next/link";
import { appUrl } from "@/lib/env";
import { openApiDocument } from "@/lib/api/openapi";
import { Logo } from "@/components/ui/logo";
import { SiteFooter } from "@/components/marketing/site-footer";
import { Card, CardBody, CardHeader } from "@/components/ui/card";

export const metadata: Metadata = { title: "Metering API" };

type Operation = { summary?: string; responses: Record<string, { description: string }> };

function examples(base: string) {
  const h = `\\\n  -H "Authorization: Bearer $CREDITBOOK_KEY" -H "Content-Type: application/json"`;
  return [
    { title: "Debit an action", code: `curl -X POST ${base}/api/v1/track ${h} \\\n  -d '{"action": "aria.chat", "idempotency_key": "conversation-8f2c"}'` },
    { title: "Check before starting", code: `curl -X POST ${base}/api/v1/check ${h} \\\n  -d '{"action": "video.generate"}'` },
    {
      title: "Reserve, then commit the actual amount",
      code: `curl -X POST ${base}/api/v1/reservations ${h} \\\n  -d '{"action": "stems.separate"}'\n# → {"reservation_id": "…", "credits_held": 15, …}\ncurl -X POST ${base}/api/v1/reservations/$RESERVATION_ID/commit ${h} \\\n  -d '{"actual": 12}'`,
    },
    { title: "Balance", code: `curl ${base}/api/v1/balance -H "Authorization: Bearer $CREDITBOOK_KEY"` },
    {
      title: "Plan limits: may this workspace add a 6th artist?",
      code: `curl -X POST ${base}/api/v1/entitlements/check ${h} \\\n  -d '{"key": "roster.artists", "current": 5, "add": 1}'\n# → 200 {"allowed": false, "limit": 5, "next_plan": {"id": "scale", "limit": 20, …}, "upgrade_url": "…"}`,
    },
    {
      title: "Out of credits: let the agent pay this call with x402",
      code: `curl -i -X POST ${base}/api/v1/track ${h} -d '{"action": "royalty.parse"}'\n# → 402 insufficient_credits, "x402": {"price_usdc": "0.05", …}, header PAYMENT-REQUIRED: <requirements>\ncurl -X POST ${base}/api/v1/track ${h} \\\n  -H "PAYMENT-SIGNATURE: $AGENT_SIGNED_PAYMENT" -d '{"action": "royalty.parse"}'\n# → 201 {"paid_by": "x402", "payment": {"transaction": "0x…", …}}, header PAYMENT-RESPONSE`,
    },
    {
      title: "Platform keys: act for one of your customers",
      code: `curl -X PUT ${base}/api/v1/workspaces/customer-42 ${h} -d '{"owner_email": "ada@example.com"}'\n# → 201, and ada@example.com is mailed an invitation to own the workspace (she accepts it, or nothing changes for her)\ncurl -X POST ${base}/api/v1/track ${h} \\\n  -d '{"external_id": "customer-42", "action": "image.generate"}'`,
    },
  ];
}

export default function ApiDocsPage() {
  const base = appUrl();
  const doc = openApiDocument(base);
  const paths = Object.entries(doc.paths ?? {}) as [string, Record<string, Operation>][];
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-4 py-4 sm:px-6">
          <Logo />
          <nav aria-label="Main" className="flex items-center gap-4 whitespace-nowrap sm:gap-6">
            <Link href="/pricing" className="text-sm font-semibold text-slate-700 hover:text-slate-900">
              Pricing
            </Link>
            <a href="/api/v1/openapi.json" className="text-sm font-semibold text-indigo-600 hover:text-indigo-500">
              OpenAPI<span className="hidden min-[420px]:inline"> 3.1 (JSON)</span>
            </a>
          </nav>
        </div>
      </header>
      <main className="mx-auto max-w-5xl space-y-8 px-4 py-10 sm:px-6">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">Metering API</h1>
          <p className="mt-3 max-w-3xl text-slate-600">
            Your AI product calls Creditbook before or after every action. Authenticate with a key from{" "}
            <Link href="/settings/api-keys" className="font-medium text-indigo-600">
              Settings → API keys
            </Link>{" "}
            as <code className="rounded bg-slate-100 px-1">Authorization: Bearer cb_live_…</code>. Bodies are JSON (at most 64 KB). Errors always look like{" "}
            <code className="rounded bg-slate-100 px-1">{`{"error": {"code", "message", "retryable", "actionable_next_step"}}`}</code>.
          </p>
        </div>

        <Card aria-labelledby="limits-heading">
          <CardHeader id="limits-heading" title="Limits and denials" />
          <CardBody>
            <ul className="list-disc space-y-2 pl-5 text-sm text-slate-700">
              <li>Calls that start an action (track, reservations) count against the key&apos;s hourly cap (60 by default; per workspace for platform keys). Other calls share 3,600 an hour. Windows are fixed clock hours.</li>
              <li>Every response carries <code>RateLimit-Limit</code>, <code>RateLimit-Remaining</code>, <code>RateLimit-Reset</code>, <code>RateLimit-Policy</code> and <code>RateLimit</code>; every 429 carries <code>Retry-After</code>.</li>
              <li>Out of credits: <code>402 insufficient_credits</code> (refill, don&apos;t retry), <code>429 credits_exhausted</code> for MCP tools (retry after the reset), or <code>202</code> queued for sonic analysis.</li>
              <li>
                With x402 on, those denials also carry the price of that one call in USDC (<code>PAYMENT-REQUIRED</code>); forward the agent&apos;s{" "}
                <code>PAYMENT-SIGNATURE</code> on the retry and the call is settled in USDC instead of credits (answer: <code>PAYMENT-RESPONSE</code>). A payment
                works once: a replay gets <code>409 payment_replayed</code>, a wrong one <code>402 payment_invalid</code>. Agents can also buy a pack with{" "}
                <code>POST /api/x402/credits</code>. Prices: <code>GET /api/x402/status</code>.
              </li>
              <li>An action the key may not perform: <code>403 policy_denied</code>. Too many pending reservations: <code>429 too_many_pending</code>.</li>
              <li>
                Queued events: <code>GET /api/v1/events/&#123;id&#125;</code> reports <code>charged_at</code>; with a webhook URL on the key, Creditbook also POSTs{" "}
                <code>{`{"type": "event.charged", "data": <event>}`}</code> signed as <code>Creditbook-Signature: t=…,v1=HMAC-SHA256(secret, t.body)</code>, retried with backoff. Webhook URLs are{" "}
                <code>https://</code> to a public address: a host that resolves to a private or local address is not contacted.
              </li>
            </ul>
          </CardBody>
        </Card>

        <Card aria-labelledby="examples-heading">
          <CardHeader id="examples-heading" title="Examples" />
          <CardBody className="space-y-5">
            {examples(base).map((e) => (
              <div key={e.title}>
                <h3 className="text-sm font-semibold text-slate-900">{e.title}</h3>
                <pre className="mt-2 overflow-x-auto rounded-lg bg-slate-900 p-4 text-xs leading-relaxed text-slate-100">
                  <code>{e.code}</code>
                </pre>
              </div>
            ))}
          </CardBody>
        </Card>

        <Card aria-labelledby="endpoints-heading">
          <CardHeader id="endpoints-heading" title="Endpoints" />
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <thead>
                <tr className="border-b border-slate-200 text-left text-slate-500">
                  <th scope="col" className="px-5 py-2 font-medium sm:px-6">Endpoint</th>
                  <th scope="col" className="px-5 py-2 font-medium">What it does</th>
                  <th scope="col" className="hidden px-5 py-2 font-medium sm:table-cell">Statuses</th>
                </tr>
              </thead>
              <tbody>
                {paths.flatMap(([path, methods]) =>
                  Object.entries(methods).map(([method, op]) => (
                    <tr key={`${method} ${path}`} className="border-b border-slate-100 align-top">
                      <td className="break-all px-5 py-2 font-mono text-xs sm:whitespace-nowrap sm:break-normal sm:px-6">
                        <span className="mr-2 font-semibold text-indigo-700">{method.toUpperCase()}</span>
                        {path}
                      </td>
                      <td className="px-5 py-2 text-slate-700">{op.summary}</td>
                      <td className="hidden px-5 py-2 font-mono text-xs text-slate-500 sm:table-cell">{Object.keys(op.responses).join(" ")}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
        </Card>
      </main>
      <SiteFooter />
    </div>
  );
}
