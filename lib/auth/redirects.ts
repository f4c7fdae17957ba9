/**
 * Where the app may send a browser after sign-in, sign-out or any other step that takes a "next" or
 * "callbackUrl" from the request: a path on this app's own origin, nothing else
 * (docs/decisions/013-sessions-and-redirects.md).
 *
 * Browsers and URL parsers are more forgiving than a `startsWith("/")` check: `/\evil.example` is read
 * as `//evil.example` (backslashes are slashes in http URLs), tabs and newlines are stripped
 * (`/\t/evil.example`), and a value decoded once more on the way (`/%2F%2Fevil.example`,
 * `/%5Cevil.example`) turns into one of those. So the rule is strict and simple:
 * - the value must be a path: it starts with one "/" and is resolved against a fixed origin, and the
 *   result must still be on that origin;
 * - no backslash, no control or whitespace character anywhere in it, and no %-encoded slash, backslash
 *   or control character in its path;
 * - at most 2,048 characters.
 * Anything else gives the fallback. An absolute URL on the app's own origin (next-auth's callbacks
 * pass those) is reduced to its path and checked the same way (see `sameOriginPath`).
 */
const PROBE_ORIGIN = "http://creditbook.invalid";
const MAX_LENGTH = 2048;
export const DEFAULT_AFTER_SIGN_IN = "/settings/billing";

export function safeRedirectPath(value: unknown, fallback: string = DEFAULT_AFTER_SIGN_IN): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH) return fallback;
  if (!value.startsWith("/") || value.startsWith("//")) return fallback;
  if (/[\\\s\u0000-\u001f\u007f]/.test(value)) return fallback;
  const pathPart = value.split(/[?#]/, 1)[0]!;
  if (/%(2f|5c|[01][0-9a-f]|7f)/i.test(pathPart)) return fallback;
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PROBE_ORIGIN) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // The normalised path must itself be a plain path (e.g. "/./" segments cannot make it "//").
  return path.startsWith("/") && !path.startsWith("//") ? path : fallback;
}

/**
 * For next-auth's redirect callback: `url` is a path or an absolute URL, `baseUrl` the app's public
 * origin. Same-origin URLs keep their path (checked by `safeRedirectPath`); anything else is the base.
 */
export function sameOriginRedirect(url: string, baseUrl: string): string {
  const base = baseUrl.replace(/\/$/, "");
  if (url.startsWith("/")) return `${base}${safeRedirectPath(url, "/")}`;
  let target: URL;
  let origin: string;
  try {
    target = new URL(url);
    origin = new URL(base).origin;
  } catch {
    return base;
  }
  if (target.origin !== origin) return base;
  return `${base}${safeRedirectPath(`${target.pathname}${target.search}${target.hash}`, "/")}`;
}
