/** One error type: a code decides the HTTP status and what the client sees. */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 422,
  unauthorized: 401,
  forbidden: 403,
  /** A signed-in change that another site could have sent (lib/auth/csrf.ts). */
  cross_origin: 403,
  /** An API key used outside its scopes (SPEC 7; lib/auth/route-policy.ts KEY_SCOPES). */
  insufficient_scope: 403,
  not_found: 404,
  /** A method the route does not implement (lib/http/methods.ts); the answer carries `Allow`. */
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details: unknown[] = [],
    /** More fields of the error object (counts, where the rejected input is kept). */
    public readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
  toBody() {
    return { error: { code: this.code, message: this.message, details: this.details, ...this.extra } };
  }
}
