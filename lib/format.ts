/** Formatting for people: thousands separators, money as $9.99, dates with UTC available. */
const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

export function formatCredits(credits: number): string {
  return integer.format(credits);
}

/** A plan's monthly allowance in words: "5,000 credits a month", or "unlimited credits". */
export function allowanceOf(plan: { monthlyCredits: number | null }): string {
  return plan.monthlyCredits === null ? "unlimited credits" : `${formatCredits(plan.monthlyCredits)} credits a month`;
}

/** "a month" or "a year": what a price is charged per. */
export function perInterval(interval: "month" | "year"): string {
  return interval === "year" ? "a year" : "a month";
}

export function formatCents(cents: number): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: cents % 100 === 0 ? 0 : 2 }).format(cents / 100);
}

export function formatUtc(iso: string): string {
  const d = new Date(iso);
  const date = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric", year: "numeric" }).format(d);
  const time = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", hour: "2-digit", minute: "2-digit" }).format(d);
  return `${date}, ${time} UTC`;
}

export function formatLocal(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    month: "short",
    day: "numeric",
    year: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(new Date(iso));
}

/**
 * The UTC twin to show beside a local time ("Jan 1, 2027, 00:00 UTC"), or null when the zone is UTC
 * at that instant (UTC itself, or London in winter): the two would say the same thing twice.
 */
export function utcTwin(iso: string, timeZone?: string): string | null {
  const offset = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(new Date(iso))
    .find((p) => p.type === "timeZoneName")?.value;
  // "GMT", or "GMT+00:00" in some ICU versions: no offset at all.
  return offset && /^(GMT|UTC)([+-]00(:?00)?)?$/.test(offset) ? null : formatUtc(iso);
}

/**
 * An action key cut after each dot and underscore, where a narrow column may break it:
 * "mcp.get_song_intelligence" → ["mcp.", "get_", "song_", "intelligence"]. Joined, the parts are the key.
 */
export function actionKeyParts(key: string): string[] {
  const parts = key.match(/[^._]*(?:[._]+|$)/g)?.filter((p) => p !== "") ?? [];
  return parts.length > 0 ? parts : [key];
}

/** "in 8 days", "in 5 hours", "in 3 minutes" */
export function formatCountdown(fromIso: string, toIso: string): string {
  const ms = new Date(toIso).getTime() - new Date(fromIso).getTime();
  if (ms <= 0) return "now";
  const minutes = Math.ceil(ms / 60_000);
  if (minutes < 60) return `in ${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `in ${hours} hour${hours === 1 ? "" : "s"}`;
  const days = Math.floor(hours / 24);
  return `in ${days} days`;
}

export function percent(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.min(100, Math.max(0, Math.round((part / whole) * 100)));
}

/** A day as billing counts it (boundaries are 00:00 UTC): "Dec 1, 2026". */
export function formatUtcDay(iso: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric", year: "numeric" }).format(new Date(iso));
}

/** Money in mail and statements, always with cents: "$29.00", "$1,234.50". */
export function formatMoney(cents: number): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(cents / 100);
}
