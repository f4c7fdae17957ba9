import { useEffect, useRef, useState, type CSSProperties } from "react";
import { embedUrl, isCreditbookMessage, type CreditbookMessage, type CreditbookTheme } from "./embed.js";

export type { CreditbookMessage, CreditbookTheme } from "./embed.js";

type Of<T extends CreditbookMessage["type"]> = Omit<Extract<CreditbookMessage, { type: T }>, "source" | "type">;

export type CreditbookBillingProps = {
  /** The `url` of a portal session (POST /api/v1/portal_sessions, or createPortalSession on your server). It works once: a new session shows the panel again. */
  sessionUrl: string;
  /** Light or dark, an accent colour, compact. Read when the panel loads (changing it later does not reload the single-use link). */
  theme?: CreditbookTheme;
  /** The iframe's accessible name (default "Billing"). */
  title?: string;
  /** The height before the panel reports its own (default 480 px). */
  initialHeight?: number;
  className?: string;
  style?: CSSProperties;
  /** The panel is shown. */
  onReady?: (event: Of<"ready">) => void;
  /** The credits remaining changed (a purchase landed, or usage was charged). */
  onCreditsChanged?: (event: Of<"credits.changed">) => void;
  /** Stripe Checkout or the Billing Portal opened in a new window. */
  onCheckoutOpened?: (event: Of<"checkout.opened">) => void;
  /** The session ended (expired, revoked, or its link already used): create a new one to show billing again. */
  onSessionExpired?: (event: Of<"session.expired">) => void;
  /** Every message, resizes included. */
  onMessage?: (message: CreditbookMessage) => void;
};

/**
 * Creditbook's billing panel in your React app: an iframe of the session's /embed/ page, sized to its
 * content (the panel posts its height), with its events as typed callbacks. Only messages from the
 * session's origin and from this iframe are listened to. The page's origin must be one of the key's
 * allowed embed origins (/admin, Settings → API keys, or PUT /api/v1/embed_origins), or the browser
 * refuses to show it. No cookies are involved, so it works where third-party cookies are blocked.
 */
export function CreditbookBilling({
  sessionUrl,
  theme,
  title = "Billing",
  initialHeight = 480,
  className,
  style,
  ...handlers
}: CreditbookBillingProps) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState<number | null>(null);
  // The link opens once: the iframe's address is fixed for a session URL, whatever re-renders.
  const [loaded, setLoaded] = useState(() => ({ sessionUrl, src: embedUrl(sessionUrl, theme) }));
  if (loaded.sessionUrl !== sessionUrl) {
    // Another session: load its panel.
    setLoaded({ sessionUrl, src: embedUrl(sessionUrl, theme) });
    setHeight(null);
  }
  const src = loaded.src;
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    const origin = new URL(src).origin;
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== origin || event.source !== frame.current?.contentWindow || !isCreditbookMessage(event.data)) return;
      const message = event.data;
      const on = latest.current;
      switch (message.type) {
        case "ready":
          setHeight(message.height);
          on.onReady?.({ height: message.height });
          break;
        case "resize":
          setHeight(message.height);
          break;
        case "credits.changed":
          on.onCreditsChanged?.({ remaining: message.remaining, previous: message.previous });
          break;
        case "checkout.opened":
          on.onCheckoutOpened?.({ what: message.what });
          break;
        case "session.expired":
          on.onSessionExpired?.({ reason: message.reason });
          break;
      }
      on.onMessage?.(message);
    };
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, [src]);

  return (
    <iframe
      ref={frame}
      src={src}
      title={title}
      className={className}
      // The panel learns which page frames it from the Referer: send the origin, never the page's path.
      referrerPolicy="origin"
      style={{ display: "block", width: "100%", border: 0, height: height ?? initialHeight, ...style }}
    />
  );
}
