"use client";

import dynamic from "next/dynamic";

/**
 * An error boundary's module loads with every page under it, and what it imports with it: the page's
 * header, footer and buttons (~11 KB) came with every /pricing view, errors or not.
 * They now load only when the price table could not be read.
 */
const PricingUnavailable = dynamic(() => import("@/components/pricing/pricing-unavailable").then((m) => m.PricingUnavailable));

export default function PricingError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PricingUnavailable reset={reset} />;
}
