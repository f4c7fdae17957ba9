export const dynamic = "force-dynamic";

/** Liveness: the process answers (no database). /api/health is readiness (database reachable). */
export function GET() {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
