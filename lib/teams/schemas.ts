import { z } from "zod";
import { ENTITLEMENT_KEY, SEATS_KEY } from "@/lib/teams/limits";

/** Request bodies of the entitlement endpoints (the OpenAPI document is generated from them). */
export const entitlementCheckBody = z
  .strictObject({
    workspace_id: z.string().min(1).max(100).optional(),
    external_id: z.string().min(1).max(200).optional(),
    key: z
      .string()
      .regex(ENTITLEMENT_KEY, "Entitlement keys are lower-case letters, digits, dots, dashes and underscores, e.g. roster.artists."),
    requested: z.number().int().min(0).max(2_147_483_647).optional(),
    current: z.number().int().min(0).max(2_147_483_647).optional(),
    add: z.number().int().min(1).max(2_147_483_647).optional(),
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
