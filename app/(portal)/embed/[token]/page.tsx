import { PortalPage, portalMetadata, type PortalRouteProps } from "../../portal-page";

export const metadata = portalMetadata;

/** Embedded billing: a portal link inside the product's iframe (framed only by its key's allowed origins, proxy.ts). */
export default function EmbeddedPortalPage(props: PortalRouteProps) {
  return <PortalPage {...props} surface="embed" />;
}
