"use client";

import { useEffect, type RefObject } from "react";
import type { CreditbookMessage } from "@/packages/client/src/embed";

type Message = CreditbookMessage extends infer M ? (M extends CreditbookMessage ? Omit<M, "source"> : never) : never;

/**
 * The origin of the page that frames this embed, when it is one its key allows (the CSP's
 * frame-ancestors already refused any other): messages go to that origin only, never to "*".
 */
export function parentOrigin(allowed: readonly string[]): string | null {
  if (typeof window === "undefined" || window.parent === window) return null;
  const ancestors = window.location.ancestorOrigins as DOMStringList | undefined;
  let origin: string | null = ancestors && ancestors.length > 0 ? ancestors.item(0) : null;
  if (!origin && document.referrer) {
    try {
      origin = new URL(document.referrer).origin;
    } catch {
      origin = null;
    }
  }
  return origin && allowed.includes(origin) ? origin : null;
}

/** Posts one of the documented messages (packages/client/src/embed.ts) to the framing page. */
export function postToParent(allowed: readonly string[], message: Message): void {
  const origin = parentOrigin(allowed);
  if (origin) window.parent.postMessage({ source: "creditbook", ...message }, origin);
}

/** Tells the framing page the panel's height: once shown (ready), then whenever it changes. */
export function useReportHeight(ref: RefObject<HTMLElement | null>, allowed: readonly string[], enabled: boolean): void {
  useEffect(() => {
    const element = ref.current;
    if (!enabled || !element) return;
    let last = -1;
    const report = (type: "ready" | "resize") => {
      const height = Math.ceil(element.getBoundingClientRect().height);
      if (height === last) return;
      last = height;
      postToParent(allowed, { type, height });
    };
    report("ready");
    const observer = new ResizeObserver(() => report("resize"));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, allowed, enabled]);
}
