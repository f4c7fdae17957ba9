import { z } from "zod";
import { readJson, invalidFields } from "@/lib/api/body";
import { errorResponse } from "@/lib/errors";
import { buyCreditsWithX402 } from "@/lib/x402/credits";

export const dynamic = "force-dynamic";

const body = z.strictObject({ pack_id: z.string().min(1).max(100) });

/**
 * Buy a credit pack with x402 (USDC). Public: the payment is the authentication — the payer's wallet
 * owns the workspace it pays into. Unpaid → 402 + PAYMENT-REQUIRED; paid → 201/200 + PAYMENT-RESPONSE.
 */
export async function POST(req: Request) {
  try {
    const parsed = body.safeParse(await readJson(req));
    if (!parsed.success) throw invalidFields(parsed.error);
    const result = await buyCreditsWithX402(req, parsed.data.pack_id);
    return Response.json(result.body, { status: result.status, headers: result.headers });
  } catch (err) {
    return errorResponse(err);
  }
}
