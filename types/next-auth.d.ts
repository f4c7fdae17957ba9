import type { DefaultSession } from "next-auth";

declare module "next-auth" {
  interface Session {
    user?: DefaultSession["user"] & { id?: string; authAt?: number };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    /** When the user signed in (ms, lib/clock): sessions older than a password change are refused. */
    authAt?: number;
  }
}
