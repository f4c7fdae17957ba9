/** A page's `searchParams`, as Next.js hands them to it. */
export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The first value of a query parameter (`?a=1&a=2` reads as "1"). */
export function firstParam(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * `path` with a query string made of `params`, leaving out empty values and `page` 1, so the first page
 * of an unfiltered list is the bare path: withQuery("/admin/audit", { page: 1 }) → "/admin/audit".
 */
export function withQuery(path: string, params: Record<string, string | number | null | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "" || (key === "page" && Number(value) <= 1)) continue;
    query.set(key, String(value));
  }
  const s = query.toString();
  return s ? `${path}?${s}` : path;
}
