import type { components } from "./schema.js";

type Schemas = components["schemas"];
/** Any error body the API documents (every status has its own code enum). */
export type ErrorBody = Schemas[`Error${400 | 401 | 402 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503}`];
export type ErrorDetail = ErrorBody["error"];
export type ErrorCode = ErrorDetail["code"];

/** Every error the API answered, with its documented code; subclasses add what a code carries. */
export class CreditbookError extends Error {
  override name = "CreditbookError";
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly nextStep: string | undefined;
  constructor(
    readonly status: number,
    readonly detail: ErrorDetail,
    readonly headers: Headers,
  ) {
    super(detail.message);
    this.code = detail.code;
    this.retryable = detail.retryable;
    this.nextStep = detail.actionable_next_step;
  }
  /** Retry-After in seconds, when the server sent one. */
  get retryAfterSeconds(): number | null {
    const v = this.headers.get("retry-after");
    return v !== null && /^\d+$/.test(v) ? Number(v) : null;
  }
}

/** 402 insufficient_credits: buy a pack or upgrade; retrying does not help until credits are added. */
export class InsufficientCreditsError extends CreditbookError {
  override name = "InsufficientCreditsError";
  get required(): number | undefined {
    return this.detail.required;
  }
  get remaining(): number | undefined {
    return this.detail.remaining;
  }
  get resetAt(): Date | undefined {
    return this.detail.reset_at ? new Date(this.detail.reset_at) : undefined;
  }
  get buyPackUrl(): string | undefined {
    return this.detail.buy_pack_url;
  }
  get upgradeUrl(): string | undefined {
    return this.detail.upgrade_url;
  }
  get nextPlan() {
    return this.detail.next_plan ?? null;
  }
  /** The x402 offer (pay this one call in USDC), when the server has x402 on. */
  get x402(): Record<string, unknown> | undefined {
    return this.detail.x402;
  }
}

/** 402 budget_exceeded: a hard budget of the workspace, this key or its member would be passed. */
export class BudgetExceededError extends CreditbookError {
  override name = "BudgetExceededError";
  /** The budget (scope, period, limit, spent, remaining, resets_at). */
  get budget(): Schemas["Budget"] | undefined {
    return this.detail.budget;
  }
  get required(): number | undefined {
    return this.detail.required;
  }
  /** When the budget is whole again (undefined for a lifetime budget). */
  get resetsAt(): Date | undefined {
    return this.detail.budget?.resets_at ? new Date(this.detail.budget.resets_at) : undefined;
  }
}

/** 429 credits_exhausted (rate_limit policy): out of credits until the period resets (Retry-After). */
export class CreditsExhaustedError extends InsufficientCreditsError {
  override name = "CreditsExhaustedError";
}
/** 429 rate_limited: the key's hourly limit (Retry-After says when the window resets). */
export class RateLimitedError extends CreditbookError {
  override name = "RateLimitedError";
}
/** 429 too_many_pending: the key holds its maximum of pending reservations. */
export class TooManyPendingError extends CreditbookError {
  override name = "TooManyPendingError";
}
/** 401 unauthenticated: a missing, malformed, unknown or revoked key. */
export class AuthenticationError extends CreditbookError {
  override name = "AuthenticationError";
}
/** 403 forbidden / policy_denied. */
export class PermissionError extends CreditbookError {
  override name = "PermissionError";
}
/** 404 not_found. */
export class NotFoundError extends CreditbookError {
  override name = "NotFoundError";
}
/** 400 / 413 / 415 / 422: the request itself is wrong; `fields` names the fields at fault. */
export class InvalidRequestError extends CreditbookError {
  override name = "InvalidRequestError";
  get fields(): Record<string, string> {
    return this.detail.fields ?? (this.detail.field ? { [this.detail.field]: this.detail.message } : {});
  }
}
/** 409 conflict / idempotency_conflict / payment_replayed. */
export class ConflictError extends CreditbookError {
  override name = "ConflictError";
}
/** 402 payment_required / payment_invalid (x402). */
export class PaymentRequiredError extends CreditbookError {
  override name = "PaymentRequiredError";
}
/** 5xx: internal_error, payment_unrecorded, service_unavailable. */
export class ServerError extends CreditbookError {
  override name = "ServerError";
}

/** The request never got an answer (connection refused or dropped) after every retry. */
export class NetworkError extends Error {
  override name = "NetworkError";
  constructor(override readonly cause: unknown) {
    super(`Creditbook could not be reached: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

const BY_CODE: Partial<Record<ErrorCode, typeof CreditbookError>> = {
  insufficient_credits: InsufficientCreditsError,
  budget_exceeded: BudgetExceededError,
  credits_exhausted: CreditsExhaustedError,
  rate_limited: RateLimitedError,
  too_many_pending: TooManyPendingError,
  unauthenticated: AuthenticationError,
  forbidden: PermissionError,
  policy_denied: PermissionError,
  not_found: NotFoundError,
  conflict: ConflictError,
  idempotency_conflict: ConflictError,
  payment_replayed: ConflictError,
  payment_required: PaymentRequiredError,
  payment_invalid: PaymentRequiredError,
};

/** The typed error of an error response (by code, else by status). */
export function errorFrom(status: number, body: unknown, headers: Headers): CreditbookError {
  const detail = (body as { error?: ErrorDetail } | null)?.error;
  const known: ErrorDetail =
    detail && typeof detail.code === "string"
      ? detail
      : { code: status >= 500 ? "internal_error" : "invalid_request", message: `HTTP ${status}`, retryable: status >= 500 };
  const Class =
    BY_CODE[known.code] ??
    (status >= 500
      ? ServerError
      : status === 400 || status === 413 || status === 415 || status === 422
        ? InvalidRequestError
        : CreditbookError);
  return new Class(status, known, headers);
}
