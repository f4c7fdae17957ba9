import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { eventJson } from "@/lib/metering/responses";
import type { usageQuery } from "@/lib/metering/schemas";
import { decodeCursor, encodeCursor, NEWEST_FIRST, usageWhere } from "@/lib/usage/query";
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

export async function listUsage(workspaceId: string, query: z.infer<typeof usageQuery>) {
  const limit = query.limit ?? 50;
  const before = query.cursor ? decodeCursor(query.cursor) : undefined;
  const filters = {
    action: query.action,
    status: query.status ? (query.status.toUpperCase() as UsageStatus) : undefined,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
  };
  const events = await db.usageEvent.findMany({
    where: usageWhere(workspaceId, filters, { before }),
    orderBy: NEWEST_FIRST,
    take: limit + 1,
    select: eventSelect,
  });
  const page = events.slice(0, limit);
  const last = page[page.length - 1];
  return {
    data: page.map(eventJson),
    next_cursor: events.length > limit && last ? encodeCursor(last) : null,
  };
}
