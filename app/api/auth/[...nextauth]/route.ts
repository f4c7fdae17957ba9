import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { nextAuthBadBody, nextAuthBadCallback, nextAuthRefusal } from "@/lib/auth/nextauth-route";
import { errorResponse } from "@/lib/errors";

type Ctx = { params: Promise<{ nextauth: string[] }> };

async function handler(req: Request, ctx: Ctx) {
  const refusal = nextAuthRefusal(req.method, (await ctx.params).nextauth) ?? (await nextAuthBadCallback(req));
  if (refusal) return errorResponse(refusal);
  try {
    return await NextAuth(authOptions())(req, ctx);
  } catch (err) {
    return errorResponse(nextAuthBadBody(err) ?? err);
  }
}

export { handler as GET, handler as POST };
