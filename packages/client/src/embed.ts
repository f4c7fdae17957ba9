/**
 * The messages Creditbook's embedded billing panel (/embed/{token}) posts to the page that frames it,
 * with `window.parent.postMessage(message, <your origin>)`. <CreditbookBilling> (./react) listens for
 * them; without React, listen yourself and check `event.origin` is your Creditbook's origin:
 *
 *   window.addEventListener("message", (event) => {
 *     if (event.origin !== "https://credits.example.com" || !isCreditbookMessage(event.data)) return;
 *     if (event.data.type === "resize") iframe.style.height = `${event.data.height}px`;
 *   });
 */
export type CreditbookMessage =
  /** The panel is shown; its height in CSS pixels. */
  | { source: "creditbook"; type: "ready"; height: number }
  /** The panel's height changed (CSS pixels): size the iframe to it, and nothing scrolls inside. */
  | { source: "creditbook"; type: "resize"; height: number }
  /** The credits remaining changed: a purchase arrived, or usage was charged. `remaining` is null on unlimited plans. */
  | { source: "creditbook"; type: "credits.changed"; remaining: number | null; previous: number | null }
  /** Stripe Checkout (`what`: a pack or plan id) or the Billing Portal (`what`: "portal") opened in a new window. */
  | { source: "creditbook"; type: "checkout.opened"; what: string }
  /** The session ended (expired, revoked, or its link was already used): create a new session to show billing again. */
  | { source: "creditbook"; type: "session.expired"; reason: "expired" | "revoked" | "used" | "unknown" };

export type CreditbookEventType = CreditbookMessage["type"];

/** Is this a message of the Creditbook panel (check `event.origin` too)? */
export function isCreditbookMessage(data: unknown): data is CreditbookMessage {
  if (typeof data !== "object" || data === null) return false;
  const message = data as { source?: unknown; type?: unknown };
  return message.source === "creditbook" && typeof message.type === "string";
}

/** The panel's look, as the query of the embed URL (see theme in <CreditbookBilling>). */
export type CreditbookTheme = {
  /** light (default) or dark. */
  mode?: "light" | "dark";
  /** The accent colour of buttons, bars and links: 6 hex digits, e.g. "#0f766e". */
  accent?: string;
  /** A shorter panel: figures, usage by action type and what to buy; no daily chart or buckets. */
  compact?: boolean;
};

/**
 * The URL to load in the iframe: a session URL (from POST /api/v1/portal_sessions or
 * createPortalSession) as its /embed/ address, with the theme in its query. A /portal/ (hosted) URL
 * becomes the /embed/ one: the same single-use token opens either.
 */
export function embedUrl(sessionUrl: string, theme: CreditbookTheme = {}): string {
  const url = new URL(sessionUrl);
  url.pathname = url.pathname.replace(/\/portal\/([^/]+)$/, "/embed/$1");
  if (theme.mode) url.searchParams.set("theme", theme.mode);
  if (theme.accent) url.searchParams.set("accent", theme.accent.replace(/^#/, ""));
  if (theme.compact) url.searchParams.set("compact", "1");
  return url.toString();
}
