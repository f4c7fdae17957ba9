import "server-only";
import { randomBytes } from "node:crypto";
import { db, utcTimestamp, type Tx } from "@/lib/db";

/**
 * How sessions end (docs/decisions/013-sessions-and-redirects.md). Sessions are JWT cookies (the
 * credentials provider needs them), so ending one is a fact the server keeps, read on every request
 * (lib/auth/session.ts) and never written by it:
 * - every session has a random id (`sid`); signing out records it as revoked;
 * - every session carries the user's session version from sign-in (`sv`); raising the version
 *   (a password reset, "sign out everywhere") ends all of the user's sessions at once;
 * - every session has an absolute lifetime from sign-in (SESSION_MAX_AGE_S), whatever next-auth's
 *   rolling refresh does to the cookie, so a revoked id is kept only that long.
 * None of this compares clocks of two instances: versions and ids are plain values, and only the sign-in
 * instant is a time (ms since the epoch, real time: the test clock moves billing, not sessions).
 */
export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

export type SessionClaims = { uid?: string; sid?: string; sv?: number; authAt?: number };

/** The claims a new session starts with, for a user at their current session version. */
export function newSessionClaims(user: { id: string; sessionVersion: number }): Required<SessionClaims> {
  return { uid: user.id, sid: randomBytes(16).toString("base64url"), sv: user.sessionVersion, authAt: Date.now() };
}

/** Whether a session's claims still count for a user with this session version and revocation state. */
export function sessionStands(claims: SessionClaims, user: { sessionVersion: number }, revoked: boolean, nowMs = Date.now()): boolean {
  if (revoked) return false;
  if ((claims.sv ?? 0) !== user.sessionVersion) return false;
  if (typeof claims.authAt !== "number" || nowMs - claims.authAt > SESSION_MAX_AGE_S * 1000) return false;
  return true;
}

/**
 * Signs one session out for good (POST /api/auth/signout). A session from before session ids cannot
 * be named on its own: every session of the user ends instead.
 */
export async function revokeSession(claims: SessionClaims): Promise<void> {
  if (!claims.uid) return;
  if (!claims.sid) {
    await endAllSessions(claims.uid);
    return;
  }
  const expiresAt = new Date((claims.authAt ?? Date.now()) + SESSION_MAX_AGE_S * 1000);
  // The user may have been deleted in between: then there is nothing left to sign out of.
  await db.$executeRaw`INSERT INTO "RevokedSession" (sid, "userId", "expiresAt")
    SELECT ${claims.sid}, id, ${utcTimestamp(expiresAt)}::timestamp(3) FROM "User" WHERE id = ${claims.uid}
    ON CONFLICT (sid) DO NOTHING`;
}

/** Ends every session of a user, on every device ("sign out everywhere", a password reset). */
export async function endAllSessions(userId: string, tx: Tx = db): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}

/** For the jobs sweep: revoked ids whose sessions have run out anyway. Uses the database's clock. */
export async function deleteExpiredRevocations(): Promise<number> {
  return db.$executeRaw`DELETE FROM "RevokedSession" WHERE "expiresAt" < (now() AT TIME ZONE 'UTC')`;
}
