import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { db } from "@/lib/db";
import { authSecret, env } from "@/lib/env";
import { now } from "@/lib/clock";
import { dummyPasswordHash, verifyPassword } from "@/lib/auth/password";
import { signInSchema } from "@/lib/auth/schemas";
import { throttleSignIn } from "@/lib/auth/throttle";
import { clientIp } from "@/lib/client-address";

/** Email + password sign-in. Returns null (a generic "wrong email or password") on any mismatch. */
async function authorize(credentials: Record<string, string> | undefined, headers: Headers | Record<string, string>) {
  const parsed = signInSchema.safeParse(credentials ?? {});
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  await throttleSignIn(email, clientIp(headers));
  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true, deletedAt: true } });
  // Verify against a dummy hash for unknown emails: the answer takes as long either way.
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user?.passwordHash || user.deletedAt || !ok) return null;
  return { id: user.id, email: user.email, name: user.name };
}

let options: NextAuthOptions | undefined;

/** next-auth configuration, built on first use (it reads the secret from the environment). */
export function authOptions(): NextAuthOptions {
  options ??= {
    secret: authSecret(),
    // Credentials sign-in requires JWT sessions in next-auth v4. The cookie is httpOnly and
    // sameSite=lax always, and Secure whenever the app is served over https.
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
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
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          // lib/auth/session.ts refuses a session that began before the password last changed.
          token.authAt = now().getTime();
        }
        return token;
      },
      session({ session, token }) {
        if (session.user && typeof token.uid === "string") session.user.id = token.uid;
        if (session.user && typeof token.authAt === "number") session.user.authAt = token.authAt;
        return session;
      },
    },
  };
  return options;
}
