/**
 * Where Creditbook may send a webhook: one policy for API keys' webhooks (queued events charged) and
 * workspaces' alert webhooks. Pure (no Node APIs): the alert settings form checks on the client too.
 *
 * Two checks, because a URL's host is only a name:
 * - when a URL is saved, `checkWebhookUrl` refuses anything but https, credentials in the URL, and
 *   address literals that are private, loopback, link-local or otherwise not on the public internet;
 * - when a webhook is sent, lib/webhooks/send.ts resolves the name and refuses to connect if any
 *   address it gets is such an address (`isPublicAddress`), so a hostname pointing at 169.254.169.254
 *   or at 10.0.0.5 (set up after the URL was saved, too) reaches nothing inside our network.
 * In development and tests (`allowLocal`), http:// to this machine is allowed so a local receiver works.
 */

/** Hostnames that reach this machine. */
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

function ipv4Octets(ip: string): number[] | null {
  const m = ip.match(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
  if (!m) return null;
  const octets = m.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

function publicIpv4([a, b, c]: number[]): boolean {
  if (a === 0 || a === 10 || a === 127) return false; // "this network", private, loopback
  if (a === 100 && b! >= 64 && b! <= 127) return false; // carrier-grade NAT
  if (a === 169 && b === 254) return false; // link-local (cloud metadata services)
  if (a === 172 && b! >= 16 && b! <= 31) return false; // private
  if (a === 192 && b === 168) return false; // private
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false; // IETF protocol assignments, TEST-NET-1
  if (a === 198 && (b === 18 || b === 19)) return false; // benchmarking
  if (a === 198 && b === 51 && c === 100) return false; // TEST-NET-2
  if (a === 203 && b === 0 && c === 113) return false; // TEST-NET-3
  return a! < 224; // multicast, reserved and broadcast above
}

/** The 8 groups of an IPv6 address (an embedded IPv4 tail counts as two), or null when it is not one. */
function ipv6Groups(ip: string): number[] | null {
  let text = ip.toLowerCase().replace(/%.*$/, ""); // a zone id (fe80::1%eth0) says nothing about the range
  const v4Tail = text.match(/:(\d{1,3}(?:\.\d{1,3}){3})$/);
  if (v4Tail) {
    const o = ipv4Octets(v4Tail[1]!);
    if (!o) return null;
    text = `${text.slice(0, -v4Tail[1]!.length)}${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string) => (s === "" ? [] : s.split(":").map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)));
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return groups.some(Number.isNaN) ? null : groups;
}

function publicIpv6(g: number[]): boolean {
  const [g0, g1, , , , g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  const v4 = [g6 >> 8, g6 & 255, g7 >> 8, g7 & 255];
  if (g.slice(0, 5).every((x) => x === 0) && g5 === 0xffff) return publicIpv4(v4); // ::ffff:a.b.c.d (IPv4-mapped)
  if (g0 === 0x64 && g1 === 0xff9b) return publicIpv4(v4); // 64:ff9b::a.b.c.d (NAT64)
  if (g.slice(0, 6).every((x) => x === 0)) return false; // ::, ::1 and the old IPv4-compatible form
  if ((g0 & 0xfe00) === 0xfc00) return false; // unique local fc00::/7
  if ((g0 & 0xffc0) === 0xfe80) return false; // link-local fe80::/10
  if ((g0 & 0xff00) === 0xff00) return false; // multicast
  if (g0 === 0x2001 && g1 === 0xdb8) return false; // documentation
  if (g0 === 0x2002) return publicIpv4([g1 >> 8, g1 & 255, g[2]! >> 8, g[2]! & 255]); // 6to4 embeds an IPv4
  return true;
}

/**
 * Is this IP address (v4 or v6, without brackets) on the public internet? Anything that is not a
 * well-formed address is not.
 */
export function isPublicAddress(ip: string): boolean {
  const v4 = ipv4Octets(ip);
  if (v4) return publicIpv4(v4);
  const v6 = ipv6Groups(ip);
  return v6 !== null && publicIpv6(v6);
}

/** A URL hostname that names this machine or a non-public address literal (names are checked when sent). */
function privateHost(hostname: string): boolean {
  if (LOCAL_HOSTS.has(hostname) || hostname.endsWith(".localhost") || hostname.endsWith(".local") || hostname.endsWith(".internal"))
    return true;
  if (ipv4Octets(hostname)) return !isPublicAddress(hostname);
  if (hostname.startsWith("[")) return !isPublicAddress(hostname.slice(1, -1));
  return false;
}

/** A webhook URL as entered: the normalised URL, or the message to show beside the field. */
export function checkWebhookUrl(raw: string, options: { allowLocal: boolean }): { ok: true; url: string } | { ok: false; message: string } {
  if (raw.length > 500) return { ok: false, message: "Use at most 500 characters." };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: "Enter a full URL, like https://api.example.com/creditbook/webhooks." };
  }
  if (url.username || url.password) return { ok: false, message: "Leave credentials out of the URL: verify the signature instead." };
  if (url.protocol === "https:") {
    if (!options.allowLocal && privateHost(url.hostname))
      return { ok: false, message: "Use a public address: private and local addresses are refused." };
    return { ok: true, url: url.toString() };
  }
  if (url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname) && options.allowLocal) return { ok: true, url: url.toString() };
  return {
    ok: false,
    message: options.allowLocal ? "Use https:// (http:// only for localhost while developing)." : "Use an https:// URL.",
  };
}
