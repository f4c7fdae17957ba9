import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { db } from "@/lib/db";
import { authSecret, env } from "@/lib/env";
import { dummyPasswordHash, verifyPassword } from "@/lib/auth/password";
import { signInSchema } from "@/lib/auth/schemas";
import { signInSucceeded, throttleSignIn } from "@/lib/auth/throttle";
import { clientIp } from "@/lib/client-address";
import { sameOriginRedirect } from "@/lib/auth/redirects";
import { newSessionClaims, revokeSession, SESSION_MAX_AGE_S } from "@/lib/auth/session-revocation";

/**
 * Email + password sign-in. Returns null (a generic "wrong email or password") on any mismatch; throws
 * ThrottledError past the limits, where only failed attempts count (lib/auth/throttle.ts).
 */
export async function authorize(credentials: Record<string, string> | undefined, headers: Headers | Record<string, string>) {
  const parsed = signInSchema.safeParse(credentials ?? {});
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const ip = clientIp(headers);
  const attempt = await throttleSignIn(email, ip);
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true, deletedAt: true, sessionVersion: true },
  });
  // Verify against a dummy hash for unknown emails: the answer takes as long either way.
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user?.passwordHash || user.deletedAt || !ok) return null;
  await signInSucceeded(email, ip, attempt);
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}

let options: NextAuthOptions | undefined;

/** next-auth configuration, built on first use (it reads the secret from the environment). */
export function authOptions(): NextAuthOptions {
  options ??= {
    secret: authSecret(),
    // Credentials sign-in requires JWT sessions in next-auth v4. The cookie is httpOnly and
    // sameSite=lax always, and Secure whenever the app is served over https.
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    useSecureCookies: env.NEXTAUTH_URL.startsWith("https://"),
    pages: { signIn: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        authorize: (credentials, req) => authorize(credentials, (req?.headers ?? {}) as Record<string, string>),
      }),
    ],
    callbacks: {
      // Every redirect next-auth issues (sign-in, sign-out, errors) stays on this origin.
      redirect: ({ url, baseUrl }) => sameOriginRedirect(url, baseUrl),
      jwt({ token, user }) {
        // At sign-in: the session's id, version and start (lib/auth/session-revocation.ts).
        if (user) Object.assign(token, newSessionClaims({ id: user.id, sessionVersion: user.sessionVersion ?? 0 }));
        return token;
      },
      session({ session, token }) {
        if (session.user && typeof token.uid === "string") {
          session.user.id = token.uid;
          session.user.claims = { uid: token.uid, sid: token.sid, sv: token.sv, authAt: token.authAt };
        }
        return session;
      },
    },
    events: {
      // Sign-out ends the session on the server too: a copy of the cookie kept from before is refused.
      signOut: async ({ token }) => {
        if (token) await revokeSession({ uid: token.uid, sid: token.sid, sv: token.sv, authAt: token.authAt });
      },
    },
  };
  return options;
}
