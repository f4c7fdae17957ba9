import { z } from "zod";
import { now, testClock } from "@/lib/clock";
import { testOnlyRoute } from "@/lib/api/test-mode";

// Test mode only: read, set, advance or reset the app's clock.
const schema = z.union([
  z.object({ set: z.iso.datetime({ offset: true }) }),
  z.object({ advanceMs: z.number().int() }),
  z.object({ reset: z.literal(true) }),
  z.object({}),
]);

export const GET = testOnlyRoute(z.object({}), async () => ({ now: now().toISOString() }));

export const POST = testOnlyRoute(schema, async (input) => {
  if ("set" in input) testClock.set(new Date(input.set));
  else if ("advanceMs" in input) testClock.advance(input.advanceMs);
  else if ("reset" in input) testClock.reset();
  return { now: now().toISOString() };
});
