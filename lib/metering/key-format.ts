/**
 * What an API key looks like, without the database (lib/metering/keys.ts stores and checks keys; the
 * server's admission, lib/metering/admission.ts, reads the prefix before any route runs).
 * A key is `cb_<kind>_<id>_<secret>`: `cb_live_` for workspace keys, `cb_plat_` for platform keys; the
 * first 20 characters (the prefix) are stored for lookup and shown in the portal.
 */
export const KEY_PREFIX_LENGTH = 20; // "cb_live_" + 12 id characters
const KEY_PATTERN = /^cb_(live|plat)_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/;

export function isWellFormedKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** The key of `Authorization: Bearer <key>`, or "". */
export function bearerKey(authorization: string | null | undefined): string {
  return /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1] ?? "";
}
