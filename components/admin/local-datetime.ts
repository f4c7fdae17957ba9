/**
 * A `datetime-local` value is a wall time in the viewer's zone without the zone: turn it into an ISO
 * instant in the browser (which knows the zone) before it goes to the server. Empty stays empty; an
 * unreadable value is passed on as it is, for the server to refuse.
 */
export function localToIso(value: FormDataEntryValue | null): string {
  const text = typeof value === "string" ? value.trim() : "";
  if (!text) return "";
  const t = new Date(text);
  return Number.isNaN(t.getTime()) ? text : t.toISOString();
}

/** The value for a `datetime-local` input: an instant in the viewer's zone, to the minute. */
export function isoToLocal(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
