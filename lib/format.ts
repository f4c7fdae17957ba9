/**
 * Formatting for people: thousands separators, money as $9.99, dates with UTC available.
 *
 * Numbers, money and UTC dates are formatted by plain code, not Intl: they are always en-US, and the
 * browser's first Intl formatter loads locale data on the main thread (~10 ms on a fast laptop, 4× on a
 * phone) in the middle of hydration — docs/performance.md. The viewer's own zone comes from Date's
 * local-time getters. test/unit/format.test.ts checks every function here against Intl.
 */
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
const MONTHS_LONG = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/** "1,234,567" from a non-negative integer's digits. */
function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** An integer with thousands separators, rounded half away from zero: "-1,235" (as Intl does). */
export function formatInteger(n: number): string {
  const rounded = Math.round(Math.abs(n));
  return `${n < 0 && rounded !== 0 ? "-" : ""}${group(String(rounded))}`;
}

/**
 * `n` rounded to `digits` significant digits as Intl rounds: the shortest decimal that reads back as `n`
 * ("0.005625" for 9 / 100 / 16), half away from zero — not the double's exact binary value, which
 * `toPrecision` rounds (0.005624999… → 0.00562, where Intl says 0.00563).
 */
function roundSignificant(n: number, digits: number): number {
  const [mantissa, exponent] = Math.abs(n).toExponential().split("e") as [string, string];
  const figures = mantissa.replace(".", "");
  if (figures.length <= digits) return n;
  const kept = BigInt(figures.slice(0, digits)) + (figures[digits]! >= "5" ? 1n : 0n);
  const rounded = Number(`${kept}e${Number(exponent) - digits + 1}`);
  return n < 0 ? -rounded : rounded;
}

/**
 * A positive number to `digits` significant digits, trailing zeros dropped, grouped: 0.0058, 0.1,
 * 1,230 (what Intl's maximumSignificantDigits gives).
 */
export function formatSignificant(n: number, digits: number): string {
  if (n === 0 || !Number.isFinite(n)) return String(n);
  const rounded = roundSignificant(n, digits);
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(rounded))));
  const [whole, fraction = ""] = Math.abs(rounded).toFixed(decimals).split(".");
  const trimmed = fraction.replace(/0+$/, "");
  return `${rounded < 0 ? "-" : ""}${group(whole!)}${trimmed ? `.${trimmed}` : ""}`;
}

export function formatCredits(credits: number): string {
  return formatInteger(credits);
}

/** Dollars and cents from integer cents: always two decimals ("$29.00"), or none when `wholeDollars` and even. */
function dollars(cents: number, wholeDollars: boolean): string {
  const abs = Math.abs(Math.round(cents));
  const rest = abs % 100;
  const fraction = wholeDollars && rest === 0 ? "" : `.${pad2(rest)}`;
  return `${cents < 0 && abs !== 0 ? "-" : ""}$${group(String(Math.floor(abs / 100)))}${fraction}`;
}

function utcParts(input: string | number | Date) {
  const d = input instanceof Date ? input : new Date(input);
  if (Number.isNaN(d.getTime())) throw new RangeError("Invalid time value");
  return { year: d.getUTCFullYear(), month: d.getUTCMonth(), day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

/** "Dec 7" (UTC). */
export function formatUtcMonthDay(input: string | number | Date): string {
  const p = utcParts(input);
  return `${MONTHS[p.month]} ${p.day}`;
}

/** "Dec 2026", or "December 2026" with `long` (UTC). */
export function formatUtcMonth(input: string | number | Date, long = false): string {
  const p = utcParts(input);
  return `${(long ? MONTHS_LONG : MONTHS)[p.month]} ${p.year}`;
}

/** "14:05" (UTC, 24-hour). */
export function formatUtcHourMinute(input: string | number | Date): string {
  const p = utcParts(input);
  return `${pad2(p.hour)}:${pad2(p.minute)}`;
}

/** A plan's monthly allowance in words: "5,000 credits a month", or "unlimited credits". */
export function allowanceOf(plan: { monthlyCredits: number | null }): string {
  return plan.monthlyCredits === null ? "unlimited credits" : `${formatCredits(plan.monthlyCredits)} credits a month`;
}

/** "a month" or "a year": what a price is charged per. */
export function perInterval(interval: "month" | "year"): string {
  return interval === "year" ? "a year" : "a month";
}

/** Money for prices: "$29", "$9.99", "$1,234.50". */
export function formatCents(cents: number): string {
  return dollars(cents, true);
}

export function formatUtc(iso: string): string {
  return `${formatUtcDay(iso)}, ${formatUtcHourMinute(iso)} UTC`;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** The US zones en-US names by letters (Date#toString's English name → "EST", "PDT", "AKST" …). */
const US_ZONE = /\((Eastern|Central|Mountain|Pacific|Alaska|Hawaii-Aleutian) (Standard|Daylight) Time\)$/;
const US_ZONE_LETTERS: Record<string, string> = {
  Eastern: "E",
  Central: "C",
  Mountain: "M",
  Pacific: "P",
  Alaska: "AK",
  "Hawaii-Aleutian": "H",
};

/**
 * The zone of a local time as en-US abbreviates it: "EST" and "PDT" for the US zones, else the offset
 * ("GMT+1", "GMT+5:30"), "GMT" for Greenwich Mean Time and "UTC" for UTC itself. From Date#toString,
 * which names the zone without loading Intl's data.
 */
function zoneLabel(d: Date, utc: boolean): string {
  if (utc) return "UTC";
  const name = d.toString();
  const us = US_ZONE.exec(name);
  if (us) return `${US_ZONE_LETTERS[us[1]!]}${us[2]![0]}T`;
  const offset = -d.getTimezoneOffset();
  if (offset === 0) return name.includes("Greenwich Mean Time") ? "GMT" : "UTC";
  const abs = Math.abs(offset);
  return `GMT${offset < 0 ? "-" : "+"}${Math.floor(abs / 60)}${abs % 60 ? `:${pad2(abs % 60)}` : ""}`;
}

/**
 * An instant as a day and a 12-hour time with its zone, in UTC or in the zone of the machine running
 * this (the viewer's browser): { day: "Dec 7, 2026", time: "2:05 PM EST" }. Date's own local-time
 * getters, not Intl: the first Intl date formatter costs a long task in the browser (module comment).
 */
export function dayAndTime(iso: string, zone: "utc" | "local", options: { seconds?: boolean } = {}): { day: string; time: string } {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new RangeError("Invalid time value");
  const utc = zone === "utc";
  const [year, month, date] = utc ? [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()] : [d.getFullYear(), d.getMonth(), d.getDate()];
  const [hour, minute, second] = utc
    ? [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    : [d.getHours(), d.getMinutes(), d.getSeconds()];
  const clock = `${hour % 12 === 0 ? 12 : hour % 12}:${pad2(minute)}${options.seconds ? `:${pad2(second)}` : ""} ${hour < 12 ? "AM" : "PM"}`;
  return { day: `${MONTHS[month]} ${date}, ${year}`, time: `${clock} ${zoneLabel(d, utc)}` };
}

/** "Dec 7, 2026, 2:05 PM GMT+1": the viewer's own zone (in the browser; the server's zone on the server). */
export function formatLocal(iso: string): string {
  const { day, time } = dayAndTime(iso, "local");
  return `${day}, ${time}`;
}

/**
 * The UTC twin to show beside a local time ("Jan 1, 2027, 00:00 UTC"), or null when the viewer's zone
 * is UTC at that instant (UTC itself, or London in winter): the two would say the same thing twice.
 */
export function utcTwin(iso: string): string | null {
  return new Date(iso).getTimezoneOffset() === 0 ? null : formatUtc(iso);
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
export function formatUtcDay(iso: string | number | Date): string {
  const p = utcParts(iso);
  return `${MONTHS[p.month]} ${p.day}, ${p.year}`;
}

/** Money in mail and statements, always with cents: "$29.00", "$1,234.50". */
export function formatMoney(cents: number): string {
  return dollars(cents, false);
}
