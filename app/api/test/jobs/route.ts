import { z } from "zod";
import { testOnlyRoute } from "@/lib/api/test-mode";
import { runAutoTopUps } from "@/lib/jobs/auto-top-up";

// Test mode only: run a background job now, as the jobs worker would (e2e runs the app without it).
const schema = z.strictObject({ job: z.enum(["auto-top-up"]) });

export const POST = testOnlyRoute(schema, async () => runAutoTopUps());
