/**
 * Origins that may frame the embedded billing panel (docs/decisions/018-portal-sessions.md): exactly
 * scheme://host[:port], http or https, no path, query, fragment or credentials. Kept on the API key
 * (ApiClient.allowedOrigins) and written into the embed page's CSP frame-ancestors.
 */
export const MAX_ALLOWED_ORIGINS = 10;

/** The canonical origin of `value`, or null when it is not exactly an origin. */
export function parseOrigin(value: string): string | null {
  const trimmed = value.trim();
  if (!/^https?:\/\/[^/?#\s]+$/i.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    if (url.username || url.password || !url.hostname) return null;
    // A trailing slash is the only difference URL normalisation may add.
    return url.origin === "null" ? null : url.origin;
  } catch {
    return null;
  }
}

/** Parses a list (comma, space or newline separated); `invalid` holds what was not an origin. */
export function parseOrigins(input: string | string[]): { origins: string[]; invalid: string[] } {
  const parts = (Array.isArray(input) ? input : input.split(/[\s,]+/)).map((s) => s.trim()).filter(Boolean);
  const origins: string[] = [];
  const invalid: string[] = [];
  for (const part of parts) {
    const origin = parseOrigin(part);
    if (origin === null) invalid.push(part);
    else if (!origins.includes(origin)) origins.push(origin);
  }
  return { origins, invalid };
}

/** The frame-ancestors directive for these origins: exactly them, or 'none'. */
export function frameAncestors(origins: readonly string[]): string {
  const valid = origins.map(parseOrigin).filter((o): o is string => o !== null);
  return `frame-ancestors ${valid.length > 0 ? valid.join(" ") : "'none'"}`;
}
