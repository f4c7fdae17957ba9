import type { Metadata } from "next";
import { PortalPage } from "../../portal-page";

export const metadata: Metadata = { title: "Billing", referrer: "same-origin", robots: { index: false } };
export const dynamic = "force-dynamic";

type Params = Promise<{ token: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Hosted billing: a portal link opened as a full page, with a way back to the product. */
export default async function HostedPortalPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const [{ token }, query] = await Promise.all([params, searchParams]);
  return <PortalPage token={token} surface="portal" query={query} />;
}
