import { NextResponse, type NextRequest } from "next/server";

/**
 * Runs before every request:
 * - pages get a Content-Security-Policy with a fresh nonce (Next applies it to its own scripts);
 * - state-changing requests from a browser must come from our own origin (CSRF defence in depth,
 *   on top of sameSite cookies). Bearer-key API calls and the Stripe webhook carry no cookies and
 *   are exempt.
 */
const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
// Signed by Stripe; paid with an x402 signature (no cookies: the payment is the authentication); the
// one-click unsubscribe that mail clients POST (RFC 8058: the signed link is the authority).
const ORIGIN_EXEMPT = [/^\/api\/stripe\/webhook$/, /^\/api\/x402\/credits$/, /^\/api\/mail\/unsubscribe$/];

function sameOrigin(request: NextRequest): boolean {
  const origin = request.headers.get("origin");
  if (origin) {
    const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }
  // No Origin (older clients, curl): a browser still tells us when the request is cross-site.
  const site = request.headers.get("sec-fetch-site");
  return site === null || site === "same-origin" || site === "none";
}

function contentSecurityPolicy(nonce: string, isDev: boolean, https: boolean, frameAncestors: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    // React and recharts set style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    frameAncestors,
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

// The embedded billing panel (docs/decisions/019-portal-sessions.md): the only page another site may frame.
const EMBED_PAGE = /^\/embed\/([^/]+)$/;

/** Every page refuses to be framed, except an embed link on the origins its API key allows. */
async function frameAncestorsOf(pathname: string): Promise<string> {
  const embed = EMBED_PAGE.exec(pathname);
  if (!embed) return "frame-ancestors 'none'";
  // Loaded on first use: only this page reads the database here.
  const { embedFrameAncestors } = await import("@/lib/portal-sessions/origins");
  return embedFrameAncestors(embed[1]!);
}

export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;

  if (UNSAFE_METHODS.has(request.method) && !ORIGIN_EXEMPT.some((re) => re.test(pathname)) && !sameOrigin(request)) {
    return NextResponse.json({ error: { code: "forbidden", message: "Cross-origin request refused.", retryable: false } }, { status: 403 });
  }

  if (pathname.startsWith("/api/")) {
    const response = NextResponse.next();
    response.headers.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    return response;
  }

  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  // eslint-disable-next-line no-restricted-properties -- build-time constant, not configuration
  const development = process.env.NODE_ENV === "development";
  const csp = contentSecurityPolicy(nonce, development, request.nextUrl.protocol === "https:", await frameAncestorsOf(pathname));
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  // Lets a page that requires a session send the visitor back here after sign-in.
  requestHeaders.set("x-pathname", `${pathname}${request.nextUrl.search}`);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

// The metering API (Bearer keys, no cookies, so nothing for the origin check to do) and the liveness
// probe skip the proxy: it is measurable overhead on the hottest routes. Their headers come from
// next.config.js.
export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|icon.svg|favicon.ico|api/v1/|api/ping).*)" }],
};
