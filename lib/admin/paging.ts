/** The operator console's numbered lists (workspaces, audit log, sales leads, Stripe events): 25 rows a page. */
export const ADMIN_PAGE_SIZE = 25;

/** Positive page number from the URL (1 when missing or invalid). */
export function parsePage(value: unknown): number {
  const n = typeof value === "string" && /^\d{1,6}$/.test(value) ? Number(value) : 1;
  return Math.max(1, n);
}

/**
 * Page `requested` of `total` rows, clamped to the pages there are (at least one), with the `skip` and
 * `take` that read it.
 */
export function pageOf(total: number, requested: number | undefined, size = ADMIN_PAGE_SIZE) {
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(Math.max(1, requested ?? 1), pages);
  return { page, pages, skip: (page - 1) * size, take: size };
}

/** Page `requested` of a list of `total` rows, read by `read` with its skip and take; with where it stands. */
export async function readPage<Row>(
  requested: number | undefined,
  total: number,
  read: (window: { skip: number; take: number }) => Promise<Row[]>,
): Promise<{ total: number; page: number; pages: number; rows: Row[] }> {
  const { page, pages, skip, take } = pageOf(total, requested);
  return { total, page, pages, rows: await read({ skip, take }) };
}
