"use client";

import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";

/**
 * A secret or a link shown once: a read-only box (selected on focus) and a button copying it; `children`
 * (more buttons) stand next to it.
 */
export function CopyField({
  value,
  label,
  copyLabel,
  children,
}: {
  value: string;
  label: string;
  copyLabel: string;
  children?: ReactNode;
}) {
  const [copied, setCopied] = useState(false);
  const copy = (
    <Button
      type="button"
      variant="secondary"
      onClick={async () => {
        await navigator.clipboard.writeText(value);
        setCopied(true);
      }}
    >
      {copied ? "Copied" : copyLabel}
    </Button>
  );
  return (
    <div className="mt-3 flex flex-col gap-2 sm:flex-row">
      <input
        readOnly
        aria-label={label}
        value={value}
        onFocus={(e) => e.currentTarget.select()}
        className="min-w-0 flex-1 rounded-md border-0 bg-white px-3 py-2 font-mono text-xs text-slate-900 ring-1 ring-inset ring-emerald-300"
      />
      {children ? (
        <div className="flex gap-2">
          {copy}
          {children}
        </div>
      ) : (
        copy
      )}
    </div>
  );
}
