import { cn } from "@/lib/cn";
import type { ComponentProps } from "react";

/** A labelled input with its error message wired up for screen readers. */
export function Field({ label, error, id, className, ...props }: ComponentProps<"input"> & { label: string; error?: string; id: string }) {
  const errorId = `${id}-error`;
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        className={cn(
          "mt-1.5 block w-full rounded-md border-0 px-3 py-2 text-slate-900 shadow-xs ring-1 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-inset sm:text-sm",
          error ? "ring-red-400 focus:ring-red-500" : "ring-slate-300 focus:ring-indigo-600",
        )}
        {...props}
      />
      {error ? (
        <p id={errorId} className="mt-1.5 text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled select, styled like Field. */
export function SelectField({ label, id, className, children, ...props }: ComponentProps<"select"> & { label: string; id: string }) {
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      <select
        id={id}
        className="mt-1.5 block w-full rounded-md border-0 px-3 py-2 text-slate-900 shadow-xs ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600 sm:text-sm"
        {...props}
      >
        {children}
      </select>
    </div>
  );
}

export function FormAlert({ children, className }: { children: React.ReactNode; className?: string }) {
  return (
    <div role="alert" className={`rounded-md bg-red-50 px-3 py-2.5 text-sm text-red-700 ring-1 ring-inset ring-red-200 ${className ?? ""}`}>
      {children}
    </div>
  );
}
