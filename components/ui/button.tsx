import { cn } from "@/lib/cn";
import Link from "next/link";
import type { ComponentProps } from "react";
import { ScriptButton } from "@/components/ui/script-button";

// Disabled is shown by opacity, which transition-colors does not animate: a button enabled on hydration
// (ScriptButton) or by a valid form is at full contrast at once, never mid-fade (an accessibility check
// that samples the colours then saw white on a pale indigo).
const variants = {
  primary: "bg-indigo-600 text-white hover:bg-indigo-500 focus-visible:outline-indigo-600",
  secondary: "bg-white text-slate-900 ring-1 ring-inset ring-slate-300 hover:bg-slate-50",
  ghost: "text-slate-700 hover:bg-slate-100",
} as const;

type Variant = keyof typeof variants;
const base =
  "inline-flex items-center justify-center gap-2 whitespace-nowrap rounded-md px-3 py-2 sm:px-3.5 text-sm font-semibold shadow-xs transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-50";

/**
 * A submit button works before the page has hydrated (its form posts); a button that only has a click
 * handler is a ScriptButton, disabled until then, so that no click is lost.
 */
export function Button({ variant = "primary", className, ...props }: ComponentProps<"button"> & { variant?: Variant }) {
  const classes = cn(base, variants[variant], className);
  if (props.onClick && props.type !== "submit") return <ScriptButton className={classes} {...props} />;
  return <button className={classes} {...props} />;
}

/**
 * Links do not prefetch their page when they scroll into view (`prefetch={false}`, here and in the
 * navigation bars): on a phone the prefetches cost more main-thread time and data than the few hundred
 * milliseconds they save on a click.
 */
export function ButtonLink({
  variant = "primary",
  className,
  prefetch = false,
  ...props
}: ComponentProps<typeof Link> & { variant?: Variant }) {
  return <Link className={cn(base, variants[variant], className)} prefetch={prefetch} {...props} />;
}
