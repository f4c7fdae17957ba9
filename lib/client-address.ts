/**
 * Who is calling, for per-IP throttles (sign-in, sign-up, password reset, invitations).
 *
 * scripts/server.mjs works the address out once per request with `clientAddress` and puts it in the
 * `x-creditbook-client-ip` request header, replacing anything a client sent under that name; the app
 * reads only that header (`clientIp`). X-Forwarded-For is believed only as far as TRUST_PROXY says:
 * everything further left in it was written by the client, who could otherwise dodge the per-IP
 * throttle by sending a new address with every attempt.
 */
export const CLIENT_IP_HEADER = "x-creditbook-client-ip";

/**
 * The address the outermost of `trustProxy` trusted proxies saw, or the socket's peer when there are
 * none. Each proxy appends the address it received the request from, so the trusted part of the chain
 * is its last `trustProxy` entries.
 */
export function clientAddress(forwardedFor: string | string[] | undefined, socketAddress: string | undefined, trustProxy: number): string {
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? "");
  const chain = [
    ...header
      .split(",")
      .map((a) => a.trim())
      .filter(Boolean),
    socketAddress || "unknown",
  ];
  return chain[Math.max(0, chain.length - 1 - Math.max(0, Math.trunc(trustProxy)))]!;
}

/** The caller's address as the server set it; "unknown" without our server (`next dev`). */
export function clientIp(headers: Headers | Record<string, string | string[] | undefined>): string {
  const value = headers instanceof Headers ? headers.get(CLIENT_IP_HEADER) : headers[CLIENT_IP_HEADER];
  return (Array.isArray(value) ? value[0] : value) || "unknown";
}
