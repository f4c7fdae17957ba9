import { AppError, errorResponse } from "@/lib/errors";

// Any /api path no route of ours matches: a 404 in the JSON error shape, not the HTML not-found page.
// (Routes are matched before this catch-all, so it never hides one.)
const notFound = () =>
  errorResponse(new AppError("not_found", "There is no API endpoint at this path. The endpoints are listed in /api/v1/openapi.json."));

export const GET = notFound;
export const HEAD = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
