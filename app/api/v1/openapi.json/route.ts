import { env } from "@/lib/env";
import { openApiDocument } from "@/lib/api/openapi";

/** Public: the OpenAPI 3.1 document of the metering API. */
export function GET() {
  return Response.json(openApiDocument(env.NEXTAUTH_URL));
}
