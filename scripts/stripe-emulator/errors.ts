// Stripe's error shape: {"error": {type, code?, message, param?, doc_url?, ...}} with Stripe's HTTP
// statuses. stripe-node picks the error class from the status (400/404 → StripeInvalidRequestError,
// 401 → StripeAuthenticationError, 402 → StripeCardError, 5xx → StripeAPIError) and the type
// (idempotency_error → StripeIdempotencyError). Absent fields are omitted: the schema types them as
// plain strings, not nullable.

export type ApiError = {
  type: "api_error" | "card_error" | "idempotency_error" | "invalid_request_error";
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: object;
  payment_method?: object;
  payment_method_type?: string;
};

export class StripeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: ApiError,
  ) {
    super(error.message);
  }

  get body(): { error: ApiError } {
    return { error: this.error };
  }
}

export function apiError(fields: ApiError): ApiError {
  return fields.code ? { ...fields, doc_url: `https://stripe.com/docs/error-codes/${fields.code.replace(/_/g, "-")}` } : fields;
}

function fail(status: number, fields: ApiError): StripeHttpError {
  return new StripeHttpError(status, apiError(fields));
}

export function invalidRequest(message: string, extra: { code?: string; param?: string; status?: number } = {}): StripeHttpError {
  const { status = 400, ...rest } = extra;
  return fail(status, { type: "invalid_request_error", message, ...rest });
}

export function missingParam(param: string): StripeHttpError {
  return invalidRequest(`Missing required param: ${param}.`, { code: "parameter_missing", param });
}

export function unknownParam(param: string): StripeHttpError {
  return invalidRequest(`Received unknown parameter: ${param}`, { code: "parameter_unknown", param });
}

export function invalidParam(param: string, message: string, code = "parameter_invalid"): StripeHttpError {
  return invalidRequest(message, { code, param });
}

/** "No such checkout.session: 'cs_…'" — 404 resource_missing, for path ids (param "id") and referenced ids. */
export function noSuch(objectName: string, id: string, param = "id"): StripeHttpError {
  return invalidRequest(`No such ${objectName}: '${id}'`, { code: "resource_missing", param, status: 404 });
}

export function unrecognizedUrl(method: string, path: string): StripeHttpError {
  return invalidRequest(
    `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    { status: 404 },
  );
}

export function authError(message: string): StripeHttpError {
  return fail(401, { type: "invalid_request_error", message });
}

/** 402, as a declined payment intent confirmation answers. */
export function cardError(error: ApiError): StripeHttpError {
  return new StripeHttpError(402, { ...error, type: "card_error" });
}

export function idempotencyError(message: string): StripeHttpError {
  return fail(400, { type: "idempotency_error", message });
}

export function injectedFault(status: number): StripeHttpError {
  return fail(status, { type: "api_error", message: "An unknown error occurred (injected by the Stripe emulator's faults endpoint)." });
}
