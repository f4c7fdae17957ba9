import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { workspaceSelectorFields } from "@/lib/metering/schemas";

/**
 * Requests and answers of the portal sessions API (POST /api/v1/portal_sessions, POST
 * /api/v1/portal_sessions/{id}/revoke). The OpenAPI document (lib/api/openapi.ts) is generated from
 * these; docs/decisions/019-portal-sessions.md says how the links work.
 */

extendZodWithOpenApi(z);

/** An http(s) URL, at most 2,000 characters: where the hosted page's "Back" link goes. */
export const returnUrl = z
  .string()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "" && !url.username && !url.password;
    } catch {
      return false;
    }
  }, "return_url must be an absolute http:// or https:// URL without credentials.");

export const createPortalSessionBody = z
  .strictObject({
    ...workspaceSelectorFields,
    user: z.strictObject({
      id: z.string().min(1).max(200).openapi({ description: "Your id for the user who opens billing (recorded in the audit log)." }),
      email: z.email().max(254),
      name: z.string().min(1).max(200).optional(),
      role: z
        .enum(["owner", "member", "viewer"])
        .openapi({ description: "owner: may buy plans and packs; member: reads usage; viewer: reads usage, sees no buy buttons." }),
    }),
    return_url: returnUrl.optional().openapi({ description: "Hosted page: where its “Back to <product>” link goes (http or https)." }),
    product_name: z.string().trim().min(1).max(60).optional().openapi({
      description:
        "Your product's name as the billing page says it (“Back to Patchline”, “ask Patchline to reopen billing”). Default: return_url's host.",
    }),
    mode: z.enum(["hosted", "embedded"]).optional().openapi({
      description:
        "Which address `url` is: hosted (default) /portal/{token}, a full page; embedded /embed/{token}, for an iframe on one of the key's allowed origins. The token opens either once.",
    }),
  })
  .openapi("PortalSessionCreate");
export type CreatePortalSessionInput = z.infer<typeof createPortalSessionBody>;

export const revokePortalSessionBody = z.strictObject({ ...workspaceSelectorFields });

const iso = z.string().openapi({ format: "date-time", example: "2026-12-07T12:05:00.000Z" });

export const portalSessionResponseSchema = z
  .strictObject({
    id: z.string(),
    url: z.string().openapi({
      description:
        "Open once, within 5 minutes (/portal/{token} or /embed/{token}). Never log or store it: the token in it is the user's access.",
    }),
    expires_at: iso.openapi({ description: "When the link stops working if it was not opened." }),
  })
  .openapi("PortalSession", {
    example: { id: "cmps00000000000000000001", url: "https://credits.example.com/embed/Zk3…", expires_at: "2026-12-07T12:05:00.000Z" },
  });
export type PortalSessionBody = z.infer<typeof portalSessionResponseSchema>;

export const portalSessionRevokedSchema = z
  .strictObject({
    id: z.string(),
    status: z.literal("revoked"),
    revoked_at: iso,
    replayed: z.boolean().openapi({ description: "true when it was already revoked (revoking twice is harmless)." }),
  })
  .openapi("PortalSessionRevoked");
export type PortalSessionRevokedBody = z.infer<typeof portalSessionRevokedSchema>;

/** Origins that may frame a key's embedded billing panel (GET and PUT /api/v1/embed_origins). */
export const embedOriginsBody = z
  .strictObject({
    origins: z.array(z.string().max(300)).max(10).openapi({
      description:
        "Each exactly scheme://host[:port] (http or https, no path), e.g. https://app.example.com. At most 10; an empty list frames nowhere.",
    }),
  })
  .openapi("EmbedOriginsUpdate");

export const embedOriginsResponseSchema = z
  .strictObject({
    origins: z.array(z.string()).openapi({ description: "The origins, normalised (lower-case host, default port dropped)." }),
  })
  .openapi("EmbedOrigins", { example: { origins: ["https://app.example.com"] } });
export type EmbedOriginsBody = z.infer<typeof embedOriginsResponseSchema>;
