/**
 * The demo answers on every loopback name (localhost, 127.0.0.1, [::1]), but its session cookie, its
 * Stripe return links and its mail links all use one: the configured public URL (NEXTAUTH_URL). A
 * visitor who opened 127.0.0.1 while the links say localhost would come back from Checkout signed out.
 * So in demo mode a page request on another loopback name of the same port is sent to the public URL
 * first (307: same method, same path and query).
 *
 * Only loopback names, only pages (GET/HEAD outside /api and /_next), only in demo mode: a production
 * server behind a proxy that rewrites Host can never be sent round in circles by this.
 */
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function canonicalRedirect(input: {
  method: string;
  url: string;
  host: string | undefined;
  publicUrl: string;
  demo: boolean;
}): string | null {
  if (!input.demo || (input.method !== "GET" && input.method !== "HEAD") || !input.host) return null;
  if (input.url.startsWith("/api/") || input.url.startsWith("/_next/") || !input.url.startsWith("/")) return null;
  let pub: URL;
  let seen: URL;
  try {
    pub = new URL(input.publicUrl);
    seen = new URL(`${pub.protocol}//${input.host}`);
  } catch {
    return null;
  }
  if (!LOOPBACK.has(pub.hostname) || !LOOPBACK.has(seen.hostname) || seen.hostname === pub.hostname || seen.port !== pub.port) return null;
  return `${pub.origin}${input.url}`;
}
