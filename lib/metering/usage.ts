import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { eventJson } from "@/lib/metering/responses";
import type { usageQuery } from "@/lib/metering/schemas";
import type { UsageEventBody, UsagePageBody } from "@/lib/metering/response-schemas";
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
  apiClientId: true,
  userId: true,
  price: { select: { version: true } },
} as const;

/** Emails of the members behind a page of events (one query for the page). */
async function memberEmails(events: { userId: string | null }[]): Promise<Map<string, string>> {
  const ids = [...new Set(events.flatMap((e) => (e.userId ? [e.userId] : [])))];
  if (ids.length === 0) return new Map();
  const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } });
  return new Map(users.map((u) => [u.id, u.email]));
}

export async function getEvent(workspaceId: string, eventId: string): Promise<UsageEventBody> {
  const event = await db.usageEvent.findFirst({ where: { id: eventId, workspaceId }, select: eventSelect });
  if (!event) throw new AppError("not_found", "No such event in this workspace.", { details: { event_id: eventId } });
  return eventJson(event, await memberEmails([event]));
}

export async function listUsage(workspaceId: string, query: z.infer<typeof usageQuery>): Promise<UsagePageBody> {
  const limit = query.limit ?? 50;
  const before = query.cursor ? decodeCursor(query.cursor) : undefined;
  const filters = {
    action: query.action,
    status: query.status ? (query.status.toUpperCase() as UsageStatus) : undefined,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
    apiClientId: query.api_key_id,
    userId: undefined as string | undefined,
  };
  if (query.member_email) {
    // A former member's events stay theirs: the filter names any user, the workspace bounds the events.
    const user = await db.user.findUnique({ where: { email: query.member_email.trim().toLowerCase() }, select: { id: true } });
    if (!user) return { data: [], next_cursor: null };
    filters.userId = user.id;
  }
  const events = await db.usageEvent.findMany({
    where: usageWhere(workspaceId, filters, { before }),
    orderBy: NEWEST_FIRST,
    take: limit + 1,
    select: eventSelect,
  });
  const page = events.slice(0, limit);
  const last = page[page.length - 1];
  const members = await memberEmails(page);
  return {
    data: page.map((e) => eventJson(e, members)),
    next_cursor: events.length > limit && last ? encodeCursor(last) : null,
  };
}
