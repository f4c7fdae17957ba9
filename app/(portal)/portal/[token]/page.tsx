import { PortalPage, portalMetadata, type PortalRouteProps } from "../../portal-page";

export const metadata = portalMetadata;

/** Hosted billing: a portal link opened as a full page, with a way back to the product. */
export default function HostedPortalPage(props: PortalRouteProps) {
  return <PortalPage {...props} surface="portal" />;
}
