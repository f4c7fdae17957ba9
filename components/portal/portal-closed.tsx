"use client";

import { useEffect, useRef } from "react";
import { Card } from "@/components/ui/card";
import { postToParent, useReportHeight } from "@/components/portal/frame";

export type ClosedReason = "expired" | "revoked" | "used" | "unknown";

const TITLE: Record<ClosedReason, string> = {
  used: "This billing link was already used",
  expired: "This billing session has expired",
  revoked: "This billing session was closed",
  unknown: "This billing link isn’t valid",
};

/**
 * What a used, expired, revoked or unknown billing link shows, hosted or inside the product's iframe:
 * what happened and what to do — ask the product to reopen billing (it makes a fresh link). Inside an
 * iframe it also tells the framing page (session.expired), which may reopen billing by itself.
 */
export function PortalClosed({
  reason,
  productName,
  returnUrl,
  embedded,
  allowedOrigins,
}: {
  reason: ClosedReason;
  productName: string | null;
  returnUrl: string | null;
  embedded: boolean;
  allowedOrigins: string[];
}) {
  const ref = useRef<HTMLDivElement>(null);
  const product = productName ?? "the app you came from";
  useReportHeight(ref, allowedOrigins, embedded);
  useEffect(() => {
    if (embedded) postToParent(allowedOrigins, { type: "session.expired", reason });
  }, [embedded, allowedOrigins, reason]);
  return (
    <div ref={ref} className={embedded ? "p-1" : "flex min-h-screen items-center justify-center px-4 py-12"}>
      <Card aria-labelledby="closed-heading" className="mx-auto w-full max-w-md px-6 py-8 text-center">
        <svg
          aria-hidden="true"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
          className="mx-auto h-10 w-10 text-slate-400"
        >
          <path
            strokeLinecap="round"
            strokeLinejoin="round"
            d="M16.5 10.5V6.75a4.5 4.5 0 1 0-9 0v3.75m-.75 11.25h10.5a2.25 2.25 0 0 0 2.25-2.25v-6.75a2.25 2.25 0 0 0-2.25-2.25H6.75a2.25 2.25 0 0 0-2.25 2.25v6.75a2.25 2.25 0 0 0 2.25 2.25Z"
          />
        </svg>
        <h1 id="closed-heading" className="mt-4 text-lg font-semibold text-slate-900">
          {TITLE[reason]}
        </h1>
        <p className="mt-2 text-sm text-slate-600">
          Billing links work once and only for a short while, so nobody else can use yours. Ask {product} to reopen billing: you’ll get a
          fresh link.
        </p>
        {returnUrl && !embedded ? (
          <a
            href={returnUrl}
            className="mt-6 inline-flex items-center justify-center rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-semibold text-white shadow-xs hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
          >
            Back to {product}
          </a>
        ) : null}
      </Card>
    </div>
  );
}
