import "server-only";
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import http from "node:http";
import https from "node:https";
import { env } from "@/lib/env";
import { isPublicAddress } from "@/lib/webhooks/url";

/**
 * Sending one webhook: only to public addresses outside development and tests, checked on the
 * addresses the name resolves to at the moment of connecting (the policy is lib/webhooks/url.ts).
 */
const TIMEOUT_MS = 5_000;

/** http://localhost webhooks, and hosts that resolve to private addresses, are for development and tests only. */
export function allowLocalWebhooks(): boolean {
  return env.NODE_ENV !== "production";
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * dns.lookup that fails when the name resolves to any non-public address. Used as the socket's own
 * lookup, so the address checked is the address connected to: a name that changes its answer between a
 * check and the connection (DNS rebinding) cannot slip through.
 */
function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused) {
      const error: NodeJS.ErrnoException = new Error(`refused: ${hostname} resolves to ${refused.address}, which is not a public address`);
      error.code = "EADDRNOTPUBLIC";
      return callback(error, []);
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), []);
    callback(null, first.address, first.family);
  });
}

/**
 * POSTs one webhook and resolves with the answer's status. Redirects are not followed (a 3xx is a
 * failure), the whole exchange times out, and outside development and tests only public addresses are
 * connected to (see publicOnlyLookup; an address literal in the URL goes through the same check).
 */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs?: number; allowLocal?: boolean } = {},
): Promise<number> {
  const target = new URL(url);
  const allowLocal = options.allowLocal ?? allowLocalWebhooks();
  const host = target.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!allowLocal && /^[\d.]+$|:/.test(host) && !isPublicAddress(host)) {
    return Promise.reject(new Error(`refused: ${host} is not a public address`));
  }
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: "POST",
        headers: { ...headers, "content-length": Buffer.byteLength(body) },
        ...(allowLocal ? {} : { lookup: publicOnlyLookup as unknown as typeof dnsLookup }),
      },
      (res) => {
        res.resume(); // the answer's body is not read: only its status counts
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
    const timer = setTimeout(() => req.destroy(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    req.on("close", () => clearTimeout(timer));
    req.on("error", reject);
    req.end(body);
  });
}
