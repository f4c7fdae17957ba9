import { revalidatePath } from "next/cache";
import { unstable_rethrow } from "next/navigation";
import { requireAdmin, requireWorkspace, type SessionUser, type WorkspaceContext } from "@/lib/auth/session";
import { AppError, inputErrorOf } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/client";

/** What a server action answers when it fails: a message for the form, and errors by field. */
export type ActionFailure = { ok: false; message: string; fields?: Record<string, string> };

/**
 * Turns what a server action threw into its answer. The session guards' redirect (to /login) and
 * 404 are rethrown so Next.js carries them out; an AppError's message and fields go to the form (input
 * the database refused, like a NUL character, becomes one); anything else is logged and reported as a
 * generic failure.
 */
export function actionFailure(err: unknown): ActionFailure {
  unstable_rethrow(err);
  err = inputErrorOf(err) ?? err;
  if (err instanceof AppError) {
    const fields = err.options.details?.fields as Record<string, string> | undefined;
    const field = err.options.details?.field;
    return { ok: false, message: err.message, fields: fields ?? (typeof field === "string" ? { [field]: err.message } : undefined) };
  }
  console.error(err);
  return { ok: false, message: "Something went wrong. Please try again." };
}

type Outcome = { ok: boolean };
type Options<R> = {
  /**
   * The pages the action's change shows on, re-rendered once it has run (whatever it answered; not
   * when it threw): fixed, or from the action's arguments (a function typed at the call site).
   */
  revalidate?: string | string[] | ((...args: never[]) => string[]);
  /** A domain error the form shows in its own way (e.g. a seat limit with an upgrade link); null: the usual answer. */
  failure?: (err: unknown) => R | null;
};

/**
 * The one shape of every server action: check who calls (the guard throws a redirect to /login, a
 * 404 or an AppError), run, re-render what changed, and turn what was thrown into the form's answer
 * (actionFailure). A server action is a public POST endpoint, so the guard runs on every call.
 */
function guarded<Ctx, Args extends unknown[], R extends Outcome>(
  guard: (args: Args) => Promise<Ctx>,
  run: (ctx: Ctx, ...args: Args) => Promise<R>,
  options: Options<R>,
): (...args: Args) => Promise<R | ActionFailure> {
  return async (...args: Args) => {
    try {
      const result = await run(await guard(args), ...args);
      const paths =
        typeof options.revalidate === "function" ? (options.revalidate as (...a: unknown[]) => string[])(...args) : options.revalidate;
      for (const path of typeof paths === "string" ? [paths] : (paths ?? [])) revalidatePath(path);
      return result;
    } catch (err) {
      unstable_rethrow(err);
      return options.failure?.(err) ?? actionFailure(err);
    }
  };
}

/** An operator's action (requireAdmin): `run(operator, …args)`. */
export function adminAction<Args extends unknown[], R extends Outcome>(
  options: Options<NoInfer<R>>,
  run: (operator: SessionUser, ...args: Args) => Promise<R>,
) {
  return guarded(() => requireAdmin(), run, options);
}

/**
 * A workspace member's action on the workspace the form was rendered for (requireWorkspace with the
 * form as `renderedFor`; `role: "OWNER"` for owners only): `run({ user, workspace, role }, formData)`.
 */
export function workspaceAction<R extends Outcome>(
  options: Options<NoInfer<R>> & { role?: Role },
  run: (ctx: WorkspaceContext, formData: FormData) => Promise<R>,
) {
  return guarded(([formData]: [FormData]) => requireWorkspace({ role: options.role, renderedFor: formData }), run, options);
}

/** A form field as a string ("" when absent). */
export function formText(formData: FormData, name: string): string {
  return String(formData.get(name) ?? "");
}
