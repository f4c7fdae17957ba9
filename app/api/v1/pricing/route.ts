import { publicPricing } from "@/lib/pricing/catalog";

export const dynamic = "force-dynamic";

/** Public: actions in credits and dollars, plans and packs — read live, so a price edit shows at once. */
export async function GET() {
  return Response.json(await publicPricing(), { headers: { "Cache-Control": "no-store" } });
}
