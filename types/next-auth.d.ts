import type { DefaultSession } from "next-auth";
import type { SessionClaims } from "@/lib/auth/session-revocation";

declare module "next-auth" {
  interface Session {
    /** `claims`: what lib/auth/session.ts checks on every request (lib/auth/session-revocation.ts). */
    user?: DefaultSession["user"] & { id?: string; claims?: SessionClaims };
  }
  interface User {
    sessionVersion?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    /** The session's random id: signing out revokes it. */
    sid?: string;
    /** The user's session version at sign-in: raising it ends every session. */
    sv?: number;
    /** When the user signed in (ms since the epoch, real time): sessions have an absolute lifetime. */
    authAt?: number;
  }
}
