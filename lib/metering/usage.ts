import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { eventJson } from "@/lib/metering/responses";
import type { usageQuery } from "@/lib/metering/schemas";
import type { UsageStatus } from "@/lib/generated/prisma/client";

const eventSelect = {
  id: true,
  actionKey: true,
  category: true,
  quantity: true,
  credits: true,
  status: true,
  short: true,
  unmetered: true,
  subject: true,
  idempotencyKey: true,
  metadata: true,
  holdExpiresAt: true,
  createdAt: true,
  completedAt: true,
  releasedAt: true,
  refundedAt: true,
  price: { select: { version: true } },
} as const;

export async function getEvent(workspaceId: string, eventId: string) {
  const event = await db.usageEvent.findFirst({ where: { id: eventId, workspaceId }, select: eventSelect });
  if (!event) throw new AppError("not_found", "No such event in this workspace.", { details: { event_id: eventId } });
  return eventJson(event);
}

/** Cursor = the last event's (createdAt, id), so pages are stable while new events arrive. */
function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [t, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [string, string];
    const createdAt = new Date(t);
    if (Number.isNaN(createdAt.getTime()) || typeof id !== "string") throw new Error("bad cursor");
    return { createdAt, id };
  } catch {
    throw new AppError("invalid_request", "The cursor is not valid; use next_cursor from the previous page.", { details: { field: "cursor" } });
  }
}

export async function listUsage(workspaceId: string, query: z.infer<typeof usageQuery>) {
  const limit = query.limit ?? 50;
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const events = await db.usageEvent.findMany({
    where: {
      workspaceId,
      ...(query.action ? { actionKey: query.action } : {}),
      ...(query.status ? { status: query.status.toUpperCase() as UsageStatus } : {}),
      createdAt: { ...(query.from ? { gte: new Date(query.from) } : {}), ...(query.to ? { lt: new Date(query.to) } : {}) },
      ...(cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: eventSelect,
  });
  const page = events.slice(0, limit);
  const last = page[page.length - 1];
  return {
    data: page.map(eventJson),
    next_cursor: events.length > limit && last ? Buffer.from(JSON.stringify([last.createdAt.toISOString(), last.id])).toString("base64url") : null,
  };
}
