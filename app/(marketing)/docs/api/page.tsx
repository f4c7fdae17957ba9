import type { Metadata } from "next";
import Link from "next/link";
import { appUrl } from "@/lib/env";
import { openApiDocument } from "@/lib/api/openapi";
import { Logo } from "@/components/ui/logo";
import { SiteFooter } from "@/components/marketing/site-footer";
import { CardBody, TitledCard } from "@/components/ui/card";
import { Table } from "@/components/ui/table";

export const metadata: Metadata = { title: "Metering API" };

type Operation = { summary?: string; responses: Record<string, { description: string }> };

/** Each example as curl and with the typed client (packages/client), side by side. */
function examples(base: string) {
  const h = `\\\n  -H "Authorization: Bearer $CREDITBOOK_KEY" -H "Content-Type: application/json"`;
  return [
    {
      title: "Debit an action",
      curl: `curl -X POST ${base}/api/v1/track ${h} \\\n  -d '{"action": "aria.chat", "idempotency_key": "conversation-8f2c"}'`,
      client: `const charged = await credits.track({ action: "aria.chat", idempotency_key: "conversation-8f2c" });\n// → { credits_charged: 1, remaining: 5399, … }; retried safely with the same key`,
    },
    {
      title: "Check before starting",
      curl: `curl -X POST ${base}/api/v1/check ${h} \\\n  -d '{"action": "video.generate"}'`,
      client: `const { allowed, cost, remaining_after } = await credits.check({ action: "video.generate" });`,
    },
    {
      title: "Reserve, then commit the actual amount",
      curl: `curl -X POST ${base}/api/v1/reservations ${h} \\\n  -d '{"action": "stems.separate"}'\n# → {"reservation_id": "…", "credits_held": 15, …}\ncurl -X POST ${base}/api/v1/reservations/$RESERVATION_ID/commit ${h} \\\n  -d '{"actual": 12}'`,
      client: `// Holds the reserve price, runs the job, commits what it returns — or releases the hold if it throws.\nawait credits.withReservation("stems.separate", undefined, async () => {\n  await separateStems(track);\n  return 12; // the actual credits\n});`,
    },
    {
      title: "Balance",
      curl: `curl ${base}/api/v1/balance -H "Authorization: Bearer $CREDITBOOK_KEY"`,
      client: `const { remaining, reset_at } = await credits.balance();`,
    },
    {
      title: "Plan limits: may this workspace add a 6th artist?",
      curl: `curl -X POST ${base}/api/v1/entitlements/check ${h} \\\n  -d '{"key": "roster.artists", "current": 5, "add": 1}'\n# → 200 {"allowed": false, "limit": 5, "next_plan": {"id": "scale", "limit": 20, …}, "upgrade_url": "…"}`,
      client: `const { allowed, upgrade_url } = await credits.checkEntitlement({ key: "roster.artists", current: 5, add: 1 });`,
    },
    {
      title: "Out of credits: let the agent pay this call with x402",
      curl: `curl -i -X POST ${base}/api/v1/track ${h} -d '{"action": "royalty.parse"}'\n# → 402 insufficient_credits, "x402": {"price_usdc": "0.05", …}, header PAYMENT-REQUIRED: <requirements>\ncurl -X POST ${base}/api/v1/track ${h} \\\n  -H "PAYMENT-SIGNATURE: $AGENT_SIGNED_PAYMENT" -d '{"action": "royalty.parse"}'\n# → 201 {"paid_by": "x402", "payment": {"transaction": "0x…", …}}, header PAYMENT-RESPONSE`,
      client: `try {\n  await credits.track({ action: "royalty.parse" });\n} catch (err) {\n  // 402 is never retried: refill, don't retry.\n  if (err instanceof InsufficientCreditsError) offerRefill(err.buyPackUrl, err.upgradeUrl, err.x402);\n  else throw err;\n}`,
    },
    {
      title: "Platform keys: act for one of your customers",
      curl: `curl -X PUT ${base}/api/v1/workspaces/customer-42 ${h} -d '{"owner_email": "ada@example.com"}'\n# → 201, and ada@example.com is mailed an invitation to own the workspace (she accepts it, or nothing changes for her)\ncurl -X POST ${base}/api/v1/track ${h} \\\n  -d '{"external_id": "customer-42", "action": "image.generate"}'`,
      client: `await platform.workspaces.upsert("customer-42", { owner_email: "ada@example.com" });\nawait platform.forWorkspace({ external_id: "customer-42" }).track({ action: "image.generate" });`,
    },
  ];
}

const CLIENT_SETUP = `import { Creditbook, InsufficientCreditsError } from "@creditbook/client";

const credits = new Creditbook({ apiKey: process.env.CREDITBOOK_KEY!, baseUrl: "BASE" });`;

/** Billing inside the AI product (issue 23): the three steps, as code. */
function embedSteps(base: string) {
  return {
    origins: `curl -X PUT ${base}/api/v1/embed_origins -H "Authorization: Bearer $CREDITBOOK_KEY" \\\n  -H "Content-Type: application/json" -d '{"origins": ["https://app.example.com"]}'`,
    server: `// Your backend, when a signed-in user opens Settings → Billing in your app
import { Creditbook, createPortalSession } from "@creditbook/client";

const platform = new Creditbook({ apiKey: process.env.CREDITBOOK_KEY!, baseUrl: "${base}" });
const { url } = await createPortalSession(platform, {
  external_id: customer.id,              // or workspace_id; a workspace key names neither
  user: { id: user.id, email: user.email, role: "owner" }, // owner | member | viewer
  product_name: "Patchline",             // "Back to Patchline", "ask Patchline to reopen"
  return_url: "https://app.example.com/settings",
  mode: "embedded",
});
// Hand \`url\` to the page (it works once, within 5 minutes). Never log it.`,
    react: `import { CreditbookBilling } from "@creditbook/client/react";

<CreditbookBilling
  sessionUrl={url}
  theme={{ mode: "dark", accent: "#0d9488", compact: false }}
  onCreditsChanged={({ remaining }) => setCredits(remaining)}
  onCheckoutOpened={({ what }) => track("checkout_opened", what)}
  onSessionExpired={() => refetchSessionUrl()} // a new session shows billing again
/>`,
  };
}

function CodeBlock({ label, code }: { label: string; code: string }) {
  return (
    <figure className="min-w-0">
      <figcaption className="text-xs font-medium text-slate-500">{label}</figcaption>
      {/* Focusable, so a keyboard can scroll a long line. */}
      <pre
        tabIndex={0}
        className="mt-1 overflow-x-auto rounded-lg bg-slate-900 p-4 text-xs leading-relaxed text-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500"
      >
        <code>{code}</code>
      </pre>
    </figure>
  );
}

/** One step of embedding the billing panel: what to do, and the code that does it. */
function EmbedStep({ title, label, code, children }: { title: string; label: string; code: string; children: React.ReactNode }) {
  return (
    <div>
      <h3 className="text-sm font-semibold text-slate-900">{title}</h3>
      <p className="mt-1 text-sm text-slate-600">{children}</p>
      <div className="mt-2">
        <CodeBlock label={label} code={code} />
      </div>
    </div>
  );
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
            as <code className="rounded bg-slate-100 px-1">Authorization: Bearer cb_live_…</code>. Bodies are JSON (at most 64 KB). Errors
            always look like{" "}
            <code className="rounded bg-slate-100 px-1">{`{"error": {"code", "message", "retryable", "actionable_next_step"}}`}</code>.
          </p>
        </div>

        <TitledCard title="Limits and denials">
          <CardBody>
            <ul className="list-disc space-y-2 pl-5 text-sm text-slate-700">
              <li>
                Calls that start an action (track, reservations) count against the key&apos;s hourly cap (60 by default; per workspace for
                platform keys). Other calls share 3,600 an hour. Windows are fixed clock hours.
              </li>
              <li>
                Every response carries <code>RateLimit-Limit</code>, <code>RateLimit-Remaining</code>, <code>RateLimit-Reset</code>,{" "}
                <code>RateLimit-Policy</code> and <code>RateLimit</code>; every 429 carries <code>Retry-After</code>.
              </li>
              <li>
                Out of credits: <code>402 insufficient_credits</code> (refill, don&apos;t retry), <code>429 credits_exhausted</code> for MCP
                tools (retry after the reset), or <code>202</code> queued for sonic analysis.
              </li>
              <li>
                With x402 on, those denials also carry the price of that one call in USDC (<code>PAYMENT-REQUIRED</code>); forward the
                agent&apos;s <code>PAYMENT-SIGNATURE</code> on the retry and the call is settled in USDC instead of credits (answer:{" "}
                <code>PAYMENT-RESPONSE</code>). A payment works once: a replay gets <code>409 payment_replayed</code>, a wrong one{" "}
                <code>402 payment_invalid</code>. Agents can also buy a pack with <code>POST /api/x402/credits</code>. Prices:{" "}
                <code>GET /api/x402/status</code>.
              </li>
              <li>
                An action the key may not perform: <code>403 policy_denied</code>. Too many pending reservations:{" "}
                <code>429 too_many_pending</code>.
              </li>
              <li>
                Queued events: <code>GET /api/v1/events/&#123;id&#125;</code> reports <code>charged_at</code>; with a webhook URL on the
                key, Creditbook also POSTs <code>{`{"type": "event.charged", "data": <event>}`}</code> signed as{" "}
                <code>Creditbook-Signature: t=…,v1=HMAC-SHA256(secret, t.body)</code>, retried with backoff. Webhook URLs are{" "}
                <code>https://</code> to a public address: a host that resolves to a private or local address is not contacted.
              </li>
            </ul>
          </CardBody>
        </TitledCard>

        <TitledCard
          title="Examples"
          description="Each call with curl and with the typed TypeScript client (packages/client in the repository: fetch only, so Node 20+, Bun, Deno and edge runtimes), which adds idempotency keys, retries that honour Retry-After and never repeat a 402, typed errors and reservations that cannot leak."
        >
          <CardBody className="space-y-6">
            <CodeBlock label="Client setup (TypeScript)" code={CLIENT_SETUP.replace("BASE", base)} />
            {examples(base).map((e) => (
              <div key={e.title}>
                <h3 className="text-sm font-semibold text-slate-900">{e.title}</h3>
                <div className="mt-2 grid gap-3 lg:grid-cols-2">
                  <CodeBlock label="curl" code={e.curl} />
                  <CodeBlock label="TypeScript client" code={e.client} />
                </div>
              </div>
            ))}
          </CardBody>
        </TitledCard>

        <TitledCard
          title="Billing inside your product"
          description="Your users see credits remaining, the reset date, usage by action and what they may buy inside your app — no Creditbook account, no third-party cookies. Three steps."
        >
          <CardBody className="space-y-6">
            <EmbedStep title="1. Allow the origin of your app" label="curl" code={embedSteps(base).origins}>
              Once per key: in /admin → Platform keys, in Settings → API keys, or over the API. The panel&apos;s{" "}
              <code>Content-Security-Policy: frame-ancestors</code> names exactly these origins, so no other site can frame it.
            </EmbedStep>
            <EmbedStep title="2. Create a portal session on your server" label="Server (TypeScript)" code={embedSteps(base).server}>
              <code>POST /api/v1/portal_sessions</code> answers <code>201 {`{id, url, expires_at}`}</code>: a single-use link for that user
              and role. Only owners buy; viewers see no buy buttons. Revoke it with{" "}
              <code>POST /api/v1/portal_sessions/&#123;id&#125;/revoke</code>. Every use is in the audit log.
            </EmbedStep>
            <EmbedStep title="3. Mount the panel" label="React" code={embedSteps(base).react}>
              The iframe sizes itself to the panel and tells you <code>credits.changed</code>, <code>checkout.opened</code> and{" "}
              <code>session.expired</code>. Stripe Checkout and the Billing Portal open in a new window; the panel refreshes when the
              payment lands. Without React, load <code>/embed/&#123;token&#125;</code> in an iframe and listen for its{" "}
              <code>postMessage</code>s (<code>isCreditbookMessage</code>); or send the user to the hosted{" "}
              <code>/portal/&#123;token&#125;</code> page, which links back to <code>return_url</code>.
            </EmbedStep>
          </CardBody>
        </TitledCard>

        <TitledCard title="Endpoints">
          <Table
            look="plain"
            caption="Endpoints of the metering API"
            rows={paths.flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })))}
            rowKey={(e) => `${e.method} ${e.path}`}
            rowClassName="align-top"
            columns={[
              {
                header: "Endpoint",
                cellClassName: "break-all font-mono text-xs sm:whitespace-nowrap sm:break-normal",
                cell: (e) => (
                  <>
                    <span className="mr-2 font-semibold text-indigo-700">{e.method.toUpperCase()}</span>
                    {e.path}
                  </>
                ),
              },
              { header: "What it does", cellClassName: "text-slate-700", cell: (e) => e.op.summary },
              {
                header: "Statuses",
                fromSm: true,
                cellClassName: "font-mono text-xs text-slate-500",
                cell: (e) => Object.keys(e.op.responses).join(" "),
              },
            ]}
          />
        </TitledCard>
      </main>
      <SiteFooter />
    </div>
  );
}
