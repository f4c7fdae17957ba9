import { apiRoute } from "@/lib/api/v1";
import { embedOriginsOf, replaceEmbedOrigins } from "@/lib/portal-sessions/origins";
import { embedOriginsBody } from "@/lib/portal-sessions/schemas";

/** The origins that may frame this key's embedded billing panel (docs/decisions/019-portal-sessions.md). */
export const GET = apiRoute({ limit: "read", workspace: false }, ({ client }) => embedOriginsOf(client));

/** Replaces them (at most 10; an empty list frames nowhere). */
export const PUT = apiRoute({ limit: "read", body: embedOriginsBody, workspace: false }, ({ client, body }) =>
  replaceEmbedOrigins(client, body.origins),
);
