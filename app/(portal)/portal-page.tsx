import type { Metadata } from "next";
import type { SearchParams } from "@/lib/search-params";
import { openPortalSession } from "@/lib/portal-sessions/sessions";
import { packTerms, planTerms } from "@/lib/billing/views";
import { portalPageData } from "@/lib/portal-sessions/billing";
import { parseTheme, themeAttributes } from "@/lib/portal-sessions/theme";
import { PortalBilling } from "@/components/portal/portal-billing";
import { PortalClosed } from "@/components/portal/portal-closed";
import { RecentUsage } from "@/components/portal/recent-usage";

/** Both routes' metadata: a portal link's page is never indexed and never sends its token on as a referrer. */
export const portalMetadata: Metadata = { title: "Billing", referrer: "same-origin", robots: { index: false } };

/** What Next hands /portal/{token} and /embed/{token}. */
export type PortalRouteProps = { params: Promise<{ token: string }>; searchParams: SearchParams };

/**
 * The billing page of a portal link (docs/decisions/019-portal-sessions.md), hosted (/portal/{token})
 * or embedded (/embed/{token}). Rendering it consumes the link: its session's secret goes to this
 * page's panel only, which keeps it in memory. A link that cannot be opened shows why, and whom to ask.
 */
export async function PortalPage({ params, searchParams, surface }: PortalRouteProps & { surface: "portal" | "embed" }) {
  const [{ token }, query] = await Promise.all([params, searchParams]);
  const embedded = surface === "embed";
  const theme = parseTheme(query);
  const look = themeAttributes(theme);
  const opened = await openPortalSession(token, surface);
  const frame = (content: React.ReactNode) => (
    <div className={`${look.className} bg-slate-50 ${embedded ? "rounded-xl" : "min-h-screen"}`} style={look.style}>
      {/* Inside the product's iframe only the panel has a background (its theme's), with rounded corners on the product's page. */}
      {embedded ? <style>{"html,body{background:transparent;min-height:0}"}</style> : null}
      {content}
    </div>
  );
  if (!opened.ok) {
    return frame(
      <PortalClosed
        reason={opened.reason}
        productName={opened.productName}
        returnUrl={opened.returnUrl}
        embedded={embedded}
        allowedOrigins={opened.allowedOrigins}
      />,
    );
  }
  const { view, secret } = opened;
  const data = await portalPageData(view);
  return frame(
    <PortalBilling
      embedded={embedded}
      secret={secret}
      expiresAt={view.expiresAt.toISOString()}
      allowedOrigins={view.allowedOrigins}
      role={view.role}
      workspaceName={view.workspaceName}
      userEmail={view.userEmail}
      productName={view.productName}
      returnUrl={view.returnUrl}
      initialBalance={data.balance}
      initialState={data.state}
      plans={data.plans.map((p) => ({ ...planTerms(p), contactSales: p.contactSales }))}
      packs={data.packs.map(packTerms)}
      payments={data.payments}
      simulated={data.simulated}
      compact={theme.compact}
      recent={<RecentUsage rows={data.recent} />}
    />,
  );
}
