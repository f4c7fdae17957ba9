/**
 * The closed list of error codes every API answers with, their HTTP status, and the one JSON shape:
 *   {"error": {"code", "message", "retryable", "actionable_next_step", ...details}}
 */
import { currentRequestId, logger } from "@/lib/log";
export const ERROR_STATUS = {
  invalid_request: 400, // malformed body, wrong types, unknown fields
  invalid_pack: 400,
  invalid_plan: 400,
  unauthenticated: 401,
  insufficient_credits: 402,
  payment_required: 402, // x402: this call is paid in USDC; the requirements are in the PAYMENT-REQUIRED header
  payment_invalid: 402, // x402: the payment was refused (signature, amount, network, expiry…); pay again
  budget_exceeded: 402, // a hard budget (workspace, API key or member) would be passed: an owner raises it, or wait for its reset
  seat_limit_reached: 402, // the plan's seats are taken: upgrade (like credits, money is the remedy)
  forbidden: 403, // signed in but not allowed (role, workspace, origin)
  policy_denied: 403, // API key not allowed this action
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  email_taken: 409,
  idempotency_conflict: 409,
  payment_replayed: 409, // x402: this payment (its authorization nonce) was already used
  workspace_changed: 409, // the page was for another workspace than the current one (switched in another tab): reload
  last_owner: 409, // the only owner of a workspace cannot leave, be removed or be demoted
  invitation_unavailable: 410, // an invitation link already used, withdrawn, replaced or expired
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422, // well-formed but semantically invalid
  reserved_external_id: 422, // an external id in a space the server keeps for itself (x402:<wallet>)
  rate_limited: 429,
  credits_exhausted: 429,
  too_many_pending: 429,
  internal_error: 500,
  payment_unrecorded: 500, // x402: the payment settled on chain but the request was not recorded; kept, never pay again
  service_unavailable: 503,
  overloaded: 503, // the metering hot path is saturated (no connection in time, a lock or statement timeout): retry after Retry-After
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

const RETRYABLE: ReadonlySet<ErrorCode> = new Set([
  "rate_limited",
  "credits_exhausted",
  "too_many_pending",
  "service_unavailable",
  "overloaded",
  "internal_error",
]);

export type ErrorBody = {
  error: {
    code: ErrorCode;
    message: string;
    retryable: boolean;
    actionable_next_step?: string;
    [detail: string]: unknown;
  };
};

export class AppError extends Error {
  override name = "AppError";
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: {
      nextStep?: string;
      details?: Record<string, unknown>;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }

  toBody(): ErrorBody {
    return errorBody(this.code, this.message, this.options.nextStep, this.options.details);
  }
}

export function errorBody(code: ErrorCode, message: string, nextStep?: string, details?: Record<string, unknown>): ErrorBody {
  return {
    error: {
      ...details,
      code,
      message,
      retryable: RETRYABLE.has(code),
      ...(nextStep ? { actionable_next_step: nextStep } : {}),
    },
  };
}

/** Field errors from a zod failure, as {field: message}. */
export function fieldErrors(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".") || "_";
    out[key] ??= issue.message;
  }
  return out;
}

/**
 * The AppError for input the database refused as input, not as a fault: PostgreSQL's text cannot hold
 * the NUL character (SQLSTATE 22021). Checked up front where input is parsed (lib/api/body.ts); this
 * catches whatever path still let one through, so the caller is told what is wrong instead of a 500.
 */
export function inputErrorOf(err: unknown): AppError | null {
  const sqlState = (e: unknown): unknown => {
    if (!e || typeof e !== "object") return undefined;
    const o = e as {
      code?: unknown;
      meta?: { driverAdapterError?: { cause?: { code?: unknown; originalCode?: unknown } } };
      cause?: unknown;
    };
    const adapter = o.meta?.driverAdapterError?.cause;
    return (
      adapter?.code ?? adapter?.originalCode ?? (typeof o.code === "string" && /^[0-9A-Z]{5}$/.test(o.code) ? o.code : sqlState(o.cause))
    );
  };
  if (sqlState(err) === "22021") {
    return new AppError(
      "invalid_request",
      "A field contains the NUL character (\\u0000), which cannot be stored. Remove it and try again.",
    );
  }
  return null;
}

/** Turns anything thrown into the JSON error response; unknown errors become a logged 500. */
export function errorResponse(err: unknown, headers: Record<string, string> = {}): Response {
  err = inputErrorOf(err) ?? err;
  if (err instanceof AppError) {
    return Response.json(err.toBody(), { status: err.status, headers: { ...headers, ...err.options.headers } });
  }
  const requestId = currentRequestId();
  logger().error({ err }, "unhandled error");
  return Response.json(
    errorBody(
      "internal_error",
      `Something went wrong on our side. It has been logged${requestId ? ` (request ${requestId})` : ""}.`,
      undefined,
      requestId ? { request_id: requestId } : undefined,
    ),
    { status: 500, headers },
  );
}
