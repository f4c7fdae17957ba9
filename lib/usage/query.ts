import { AppError } from "@/lib/errors";
import type { Prisma, UsageStatus } from "@/lib/generated/prisma/client";

/**
 * Which usage events a list shows, shared by the metering API's usage list (lib/metering/usage.ts)
 * and the portal's usage history and CSV export (lib/usage/history.ts): the filters, the keyset
 * cursor and its encoding, and the order. Every where clause starts from the workspace id.
 */
export type UsageFilters = {
  /** Inclusive lower bound on the event's time. */
  from?: Date;
  /** Exclusive upper bound on the event's time. */
  to?: Date;
  action?: string;
  status?: UsageStatus;
  /** The member who caused the events (UsageEvent.userId). */
  userId?: string;
  /** The API key that caused the events (UsageEvent.apiClientId). */
  apiClientId?: string;
};

/** A position in the list: an event's (createdAt, id). Events are ordered by both, newest first. */
export type UsageCursor = { createdAt: Date; id: string };

/** Newest first; the id breaks ties between events of the same millisecond. */
export const NEWEST_FIRST = [{ createdAt: "desc" }, { id: "desc" }] satisfies Prisma.UsageEventOrderByWithRelationInput[];
export const OLDEST_FIRST = [{ createdAt: "asc" }, { id: "asc" }] satisfies Prisma.UsageEventOrderByWithRelationInput[];

/** Cursor = base64url of JSON [createdAt ISO, id], so pages are stable while new events arrive. */
export function encodeCursor(event: UsageCursor): string {
  return Buffer.from(JSON.stringify([event.createdAt.toISOString(), event.id])).toString("base64url");
}

export function decodeCursor(cursor: string): UsageCursor {
  try {
    const [t, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [string, string];
    const createdAt = new Date(t);
    if (Number.isNaN(createdAt.getTime()) || typeof id !== "string") throw new Error("bad cursor");
    return { createdAt, id };
  } catch {
    throw new AppError("invalid_request", "The cursor is not valid; use next_cursor from the previous page.", {
      details: { field: "cursor" },
    });
  }
}

/**
 * The events of one workspace that match the filters, optionally only those older than `before` or
 * newer than `after` (keyset pagination over (createdAt, id), served by the (workspaceId, createdAt)
 * (workspaceId, status, createdAt), (workspaceId, apiClientId, createdAt) and (workspaceId, userId, createdAt) indexes).
 */
export function usageWhere(
  workspaceId: string,
  filters: UsageFilters,
  position: { before?: UsageCursor; after?: UsageCursor } = {},
): Prisma.UsageEventWhereInput {
  const { before, after } = position;
  // (createdAt, id) < cursor, plus the redundant createdAt ≤ cursor that the index can seek to: without
  // it PostgreSQL reads the index from the newest event and filters, so deep pages cost O(depth).
  const keyset: Prisma.UsageEventWhereInput[] = [];
  if (before) {
    keyset.push({ createdAt: { lte: before.createdAt } });
    keyset.push({ OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] });
  }
  if (after) {
    keyset.push({ createdAt: { gte: after.createdAt } });
    keyset.push({ OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] });
  }
  return {
    workspaceId,
    ...(filters.action ? { actionKey: filters.action } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.userId ? { userId: filters.userId } : {}),
    ...(filters.apiClientId ? { apiClientId: filters.apiClientId } : {}),
    ...(filters.from || filters.to
      ? { createdAt: { ...(filters.from ? { gte: filters.from } : {}), ...(filters.to ? { lt: filters.to } : {}) } }
      : {}),
    ...(keyset.length > 0 ? { AND: keyset } : {}),
  };
}
