import { env } from "@/lib/env";
import { x402Status } from "@/lib/pricing/catalog";

export const dynamic = "force-dynamic";

/** Public, machine-readable pricing in the x402 status shape agents read from media-AI providers. */
export async function GET() {
  return Response.json(await x402Status(env.NEXTAUTH_URL), { headers: { "Cache-Control": "no-store" } });
}
