import type { Metadata } from "next";
import { PortalPage } from "../../portal-page";

export const metadata: Metadata = { title: "Billing", referrer: "same-origin", robots: { index: false } };
export const dynamic = "force-dynamic";

type Params = Promise<{ token: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Embedded billing: a portal link inside the product's iframe (framed only by its key's allowed origins, proxy.ts). */
export default async function EmbeddedPortalPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const [{ token }, query] = await Promise.all([params, searchParams]);
  return <PortalPage token={token} surface="embed" query={query} />;
}
