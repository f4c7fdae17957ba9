import { z } from "zod";
import { testClock } from "@/lib/clock";
import { AppError, errorResponse, fieldErrors } from "@/lib/errors";

/**
 * Wrapper for test-only routes (moving the clock, recording usage directly). They answer 404 unless
 * the app runs with TEST_MODE=1, which lib/env refuses in production.
 */
export function testOnlyRoute<T extends z.ZodType>(schema: T, handler: (input: z.infer<T>) => Promise<unknown>) {
  return async (req: Request): Promise<Response> => {
    if (!testClock.enabled()) return Response.json({ error: { code: "not_found", message: "Not found." } }, { status: 404 });
    try {
      const body =
        req.method === "GET"
          ? {}
          : await req.json().catch(() => {
              throw new AppError("invalid_request", "The body must be JSON.");
            });
      const parsed = schema.safeParse(body);
      if (!parsed.success)
        throw new AppError("invalid_request", "Invalid input.", { details: { fields: fieldErrors(parsed.error.issues) } });
      return Response.json(await handler(parsed.data));
    } catch (err) {
      return errorResponse(err);
    }
  };
}
