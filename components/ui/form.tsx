"use client";

import { createContext, useContext, useState, useTransition, type ComponentProps, type FormEvent, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormAlert, SelectField, TextareaField } from "@/components/ui/field";

export type FormActionResult = { ok: true } | { ok: false; message?: string; fields?: Record<string, string> };
type Success<R> = Extract<R, { ok: true }>;
type Failure<R> = Extract<R, { ok: false }>;
type Said = string | null | undefined | void;

/**
 * A form posting to a server action: on submit the action gets the form's data (`prepare` may adjust it
 * first); a failure sets the field errors and the form-level message, a success clears them, is kept as
 * `succeeded` (until the next submit or `dismiss`) and runs `onSuccess` with the result, the data sent and
 * the form (to reset it); a message `onSuccess` returns shows as the form's alert (a later step failed).
 * `run` sends data built in code.
 */
export function useFormAction<R extends FormActionResult>(
  action: (formData: FormData) => Promise<R>,
  onSuccess?: (result: Success<R>, formData: FormData, form: HTMLFormElement | null) => Said | Promise<Said>,
  prepare?: (formData: FormData) => void,
) {
  const [fields, setFields] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<Failure<R> | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [succeeded, setSucceeded] = useState<Success<R> | null>(null);
  const [pending, startTransition] = useTransition();
  const run = (formData: FormData, form: HTMLFormElement | null = null) => {
    prepare?.(formData);
    setMessage(null);
    setFailure(null);
    setSucceeded(null);
    startTransition(async () => {
      const result = await action(formData);
      if (!result.ok) {
        setFields(result.fields ?? {});
        setMessage(result.message ?? null);
        setFailure(result as Failure<R>);
        return;
      }
      setFields({});
      setSucceeded(result as Success<R>);
      const said = await onSuccess?.(result as Success<R>, formData, form);
      if (said) setMessage(said);
    });
  };
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    run(new FormData(e.currentTarget), e.currentTarget);
  };
  return { fields, message, failure, succeeded, dismiss: () => setSucceeded(null), pending, run, onSubmit };
}

type FormState = {
  fields: Record<string, string>;
  message: string | null;
  pending: boolean;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
};

const FormContext = createContext<{ fields: Record<string, string>; pending: boolean }>({ fields: {}, pending: false });

/** The error the last answer gave the field `name`, inside a `Form`. */
export function useFieldError(name: string | undefined): string | undefined {
  const { fields } = useContext(FormContext);
  return name ? fields[name] : undefined;
}

/**
 * The `<form>` of a `useFormAction` state: the browser's own checks off (the server action validates),
 * the form-level message as an alert (with `alertExtra` after it) at the start or the end, and the field
 * errors and pending state handed to the fields and the submit button inside.
 */
export function Form({
  state,
  alertAt = "start",
  alertClassName,
  alertExtra,
  children,
  ...props
}: Omit<ComponentProps<"form">, "onSubmit"> & {
  state: FormState;
  alertAt?: "start" | "end";
  alertClassName?: string;
  alertExtra?: ReactNode;
}) {
  const alert = state.message ? (
    <FormAlert className={alertClassName}>
      {state.message}
      {alertExtra}
    </FormAlert>
  ) : null;
  return (
    <FormContext value={{ fields: state.fields, pending: state.pending }}>
      <form noValidate onSubmit={state.onSubmit} {...props}>
        {alertAt === "start" ? alert : null}
        {children}
        {alertAt === "end" ? alert : null}
      </form>
    </FormContext>
  );
}

/** The form's submit button: disabled and saying `pendingLabel` while the action runs. */
export function SubmitButton({ pendingLabel, children, disabled, ...props }: ComponentProps<typeof Button> & { pendingLabel: string }) {
  const { pending } = useContext(FormContext);
  return (
    <Button type="submit" disabled={pending || disabled} {...props}>
      {pending ? pendingLabel : children}
    </Button>
  );
}

/** A labelled input (`Field`) showing the error the form's last answer gave its `name`. */
export function TextField(props: ComponentProps<typeof Field>) {
  return <Field error={useFieldError(props.name)} {...props} />;
}

/** A TextField for whole numbers (the numeric keyboard on phones). */
export function NumberField(props: ComponentProps<typeof Field>) {
  return <TextField inputMode="numeric" {...props} />;
}

/** A labelled text box (`TextareaField`) showing the error the form's last answer gave its `name`. */
export function MultilineField(props: ComponentProps<typeof TextareaField>) {
  return <TextareaField error={useFieldError(props.name)} {...props} />;
}

/** A labelled select (`SelectField`) showing the error the form's last answer gave its `name`. */
export function OptionsField(props: ComponentProps<typeof SelectField>) {
  return <SelectField error={useFieldError(props.name)} {...props} />;
}

/**
 * Server actions run from a row's buttons and small forms: `pending` while one runs (the buttons share
 * it), `error` its refusal (a field's error first), `run(call, onOk, confirmText)` asks first when told to.
 */
export function useActions<R extends FormActionResult>() {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const run = (call: () => Promise<R>, onOk?: (result: Success<R>) => void | Promise<void>, confirmText?: string) => {
    if (confirmText && !window.confirm(confirmText)) return;
    startTransition(async () => {
      setError(null);
      const result = await call();
      if (!result.ok) {
        setError(Object.values(result.fields ?? {})[0] ?? result.message ?? "Something went wrong.");
        return;
      }
      await onOk?.(result as Success<R>);
    });
  };
  return { pending, error, setError, run };
}

/** A button running one action on click: disabled and saying `pendingLabel` meanwhile, its answer handed to `onResult`. */
export function ActionButton<R>({
  action,
  onResult,
  pendingLabel,
  children,
  disabled,
  ...props
}: Omit<ComponentProps<typeof Button>, "onClick"> & {
  action: () => Promise<R>;
  onResult: (result: R) => void | Promise<void>;
  pendingLabel: string;
}) {
  const [pending, startTransition] = useTransition();
  return (
    <Button type="button" disabled={pending || disabled} onClick={() => startTransition(async () => onResult(await action()))} {...props}>
      {pending ? pendingLabel : children}
    </Button>
  );
}
