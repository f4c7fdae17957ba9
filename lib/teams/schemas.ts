import { z } from "zod";
import { ENTITLEMENT_KEY, SEATS_KEY } from "@/lib/teams/limits";
import { workspaceSelectorFields } from "@/lib/metering/schemas";
import { PG_INT_MAX } from "@/lib/pricing/limits";

/** Request bodies of the entitlement endpoints (the OpenAPI document is generated from them). */
export const entitlementCheckBody = z
  .strictObject({
    ...workspaceSelectorFields,
    key: z
      .string()
      .regex(ENTITLEMENT_KEY, "Entitlement keys are lower-case letters, digits, dots, dashes and underscores, e.g. roster.artists."),
    requested: z.number().int().min(0).max(PG_INT_MAX).optional(),
    current: z.number().int().min(0).max(PG_INT_MAX).optional(),
    add: z.number().int().min(1).max(PG_INT_MAX).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.requested !== undefined && (body.current !== undefined || body.add !== undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["requested"],
        message: "Send either requested (the total after the change) or current and add, not both.",
      });
    } else if (body.requested === undefined && body.current === undefined && !(body.key === SEATS_KEY && body.add !== undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["requested"],
        message: "Send requested (the total after the change), or current (how many there are now) with add (default 1).",
      });
    }
  });
export type EntitlementCheckInput = z.infer<typeof entitlementCheckBody>;
