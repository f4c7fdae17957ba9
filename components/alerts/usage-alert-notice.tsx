"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { alertMessage, type UsageAlertView } from "@/lib/alerts/rules";
import { formatUtc } from "@/lib/format";

/** Hidden by a dismissal: the alert itself and the period's lower ones it stands for. */
export function covered(alert: UsageAlertView, dismissed: UsageAlertView): boolean {
  return alert.periodStart === dismissed.periodStart && alert.threshold <= dismissed.threshold;
}

/**
 * A usage alert as Billing shows it: the threshold crossed, the reset date, what to do about it
 * (`children`: the upgrade offer) and a button that dismisses it for everyone in the workspace.
 */
export function UsageAlertNotice({ alert, onDismiss, children }: { alert: UsageAlertView; onDismiss: () => void; children?: ReactNode }) {
  const { title, resets } = alertMessage(alert);
  const severe = alert.threshold >= 100;
  return (
    <div
      role="status"
      aria-labelledby={`usage-alert-${alert.id}`}
      className={
        severe
          ? "flex items-start gap-3 rounded-lg bg-red-50 px-4 py-3 text-sm text-red-900 ring-1 ring-inset ring-red-200"
          : "flex items-start gap-3 rounded-lg bg-indigo-50 px-4 py-3 text-sm text-indigo-950 ring-1 ring-inset ring-indigo-200"
      }
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 20 20"
        fill="currentColor"
        className={`mt-0.5 h-5 w-5 shrink-0 ${severe ? "text-red-500" : "text-indigo-500"}`}
      >
        <path
          fillRule="evenodd"
          d="M10 2a6 6 0 0 0-6 6c0 1.887-.454 3.665-1.257 5.234a.75.75 0 0 0 .515 1.076 32.91 32.91 0 0 0 3.256.508 3.5 3.5 0 0 0 6.972 0 32.903 32.903 0 0 0 3.256-.508.75.75 0 0 0 .515-1.076A11.448 11.448 0 0 1 16 8a6 6 0 0 0-6-6ZM8.05 14.943a33.54 33.54 0 0 0 3.9 0 2 2 0 0 1-3.9 0Z"
          clipRule="evenodd"
        />
      </svg>
      <div className="min-w-0 flex-1">
        <p id={`usage-alert-${alert.id}`}>
          <span className="font-semibold">{title}</span>{" "}
          <time dateTime={alert.periodEnd} title={formatUtc(alert.periodEnd)}>
            {resets}
          </time>
        </p>
        {children ? <p className="mt-1">{children}</p> : null}
        <p className="mt-1 text-xs opacity-80">
          <Link href="/settings/alerts" className="font-medium underline underline-offset-2 hover:no-underline">
            Alert settings
          </Link>
        </p>
      </div>
      <button
        type="button"
        onClick={onDismiss}
        aria-label={`Dismiss the ${alert.outOfCredits ? "out-of-credits" : `${alert.threshold}% usage`} alert`}
        className="-m-1 shrink-0 rounded-md p-1.5 hover:bg-black/5 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-current"
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4">
          <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
        </svg>
      </button>
    </div>
  );
}
