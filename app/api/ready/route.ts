import { getDb } from "@/lib/db";
import { readinessResponse } from "@/lib/health";

export const dynamic = "force-dynamic";

export const GET = () => readinessResponse(getDb());
