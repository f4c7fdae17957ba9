import { cn } from "@/lib/cn";
import { createElement, type ComponentProps } from "react";

/** The ids a control's aria-describedby names: its hint, then its error. */
function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

type FieldProps = { label: string; error?: string; hint?: string; id: string; className?: string };

/** The label, hint and error around a control, wired up for screen readers (aria-describedby). */
function FieldFrame({ label, error, hint, id, className, children }: FieldProps & { children: React.ReactNode }) {
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="mt-1.5 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1.5 text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The control's own attributes and classes, shared by inputs and text boxes. */
function controlProps({ id, hint, error }: FieldProps, extra: string) {
  return {
    id,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy(id, hint, error),
    className: cn(
      "mt-1.5 block w-full rounded-md border-0 px-3 py-2 text-slate-900 shadow-xs ring-1 ring-inset focus:ring-2 focus:ring-inset sm:text-sm",
      extra,
      error ? "ring-red-400 focus:ring-red-500" : "ring-slate-300 focus:ring-indigo-600",
    ),
  };
}

/** A labelled control of one kind (`tag`) with the look `extra` adds to the shared one. */
function framedControl<Tag extends "input" | "textarea" | "select">(tag: Tag, extra: string) {
  return function FramedControl({ label, error, hint, id, className, ...control }: ComponentProps<Tag> & FieldProps) {
    const frame = { label, error, hint, id, className };
    return <FieldFrame {...frame}>{createElement(tag, { ...controlProps(frame, extra), ...control })}</FieldFrame>;
  };
}

/** A labelled input with its hint and error message wired up for screen readers. */
export const Field = framedControl("input", "placeholder:text-slate-400");

/** A labelled input with less padding on a phone, so two fit a row there (the usage history's dates). */
export const NarrowField = framedControl("input", "min-w-0 bg-white px-2.5 sm:px-3");

/** A labelled multi-line text box, styled like Field. */
export const TextareaField = framedControl("textarea", "placeholder:text-slate-500");

/** A labelled select, styled like Field (its options are its children). */
export const SelectField = framedControl("select", "bg-white");

type MessageProps = { children: React.ReactNode; className?: string; tone?: "error" | "success"; id?: string };
const ROLE = { error: "alert", success: "status" } as const;

/** A form's answer as a box above or below it: a failure (role alert), or a success (role status) with `tone="success"`. */
export function FormAlert({ children, className, tone = "error" }: MessageProps) {
  const look = tone === "error" ? "bg-red-50 text-red-700 ring-red-200" : "bg-emerald-50 text-emerald-800 ring-emerald-200";
  return (
    <div role={ROLE[tone]} className={cn("rounded-md px-3 py-2.5 text-sm ring-1 ring-inset", look, className)}>
      {children}
    </div>
  );
}

/** A short line under a row or a button: an error (role alert) or a success (role status); nothing when empty. */
export function InlineMessage({ children, className, tone = "error", id }: MessageProps) {
  if (!children) return null;
  return (
    <p id={id} role={ROLE[tone]} className={cn("text-sm", tone === "error" ? "text-red-600" : "text-emerald-700", className)}>
      {children}
    </p>
  );
}
