/**
 * The one error family of the gateway. Every failure a client can see is a GatewayError, and
 * `errorBody` is the only function that writes an error body. Codes are stable: never reuse
 * one for a new meaning, add a new one instead.
 */

export type ErrorType =
  | 'invalid_request_error'
  | 'permission_denied'
  | 'not_found_error'
  | 'rate_limit_exceeded'
  | 'api_error'
  | 'service_unavailable';

/** Every code the gateway answers with, and the status and type it always goes with. */
export const errorCatalog = {
  invalid_json: [400, 'invalid_request_error'],
  invalid_content_type: [400, 'invalid_request_error'],
  invalid_request: [400, 'invalid_request_error'],
  invalid_parameter: [400, 'invalid_request_error'],
  upstream_invalid_request: [400, 'invalid_request_error'],
  invalid_api_key: [401, 'invalid_request_error'],
  invalid_session: [401, 'invalid_request_error'],
  model_not_allowed: [403, 'permission_denied'],
  csrf_failed: [403, 'permission_denied'],
  model_not_found: [404, 'invalid_request_error'],
  not_found: [404, 'invalid_request_error'],
  method_not_allowed: [405, 'invalid_request_error'],
  conflict: [409, 'invalid_request_error'],
  body_too_large: [413, 'invalid_request_error'],
  requests_per_minute_exceeded: [429, 'rate_limit_exceeded'],
  requests_per_day_exceeded: [429, 'rate_limit_exceeded'],
  tokens_per_day_exceeded: [429, 'rate_limit_exceeded'],
  too_many_attempts: [429, 'rate_limit_exceeded'],
  internal_error: [500, 'api_error'],
  upstream_auth_failed: [500, 'api_error'],
  upstream_bad_response: [500, 'api_error'],
  provider_not_configured: [503, 'service_unavailable'],
  upstream_unavailable: [503, 'service_unavailable'],
  upstream_rate_limited: [503, 'service_unavailable'],
  upstream_timeout: [503, 'service_unavailable'],
} as const satisfies Record<string, readonly [number, ErrorType]>;

export type ErrorCode = keyof typeof errorCatalog;

export interface GatewayErrorOptions {
  param?: string | null;
  /** Seconds the client should wait before retrying, sent as `retry-after`. */
  retryAfterMs?: number;
  headers?: Record<string, string>;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly status: number;
  readonly type: ErrorType;
  readonly code: ErrorCode;
  readonly param: string | null;
  readonly retryAfterMs: number | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const [status, type] = errorCatalog[code];
    this.name = 'GatewayError';
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = options.param ?? null;
    this.retryAfterMs = options.retryAfterMs;
    this.headers = options.headers;
  }
}

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** The OpenAI error body for any error; unknown errors become a generic 500. */
export function errorBody(error: unknown, requestId: string): ErrorBody {
  if (error instanceof GatewayError) {
    return {
      error: { message: error.message, type: error.type, param: error.param, code: error.code },
    };
  }
  return {
    error: {
      message: `The server had an error while processing your request (request id ${requestId}).`,
      type: 'api_error',
      param: null,
      code: 'internal_error',
    },
  };
}

/** Status and extra headers that go with `errorBody(error)`. */
export function errorHead(error: unknown): { status: number; headers: Record<string, string> } {
  if (!(error instanceof GatewayError)) return { status: 500, headers: {} };
  const headers: Record<string, string> = { ...error.headers };
  if (error.retryAfterMs !== undefined) {
    const ms = Math.max(0, Math.ceil(error.retryAfterMs));
    headers['retry-after'] = String(Math.ceil(ms / 1000));
    headers['retry-after-ms'] = String(ms);
  }
  return { status: error.status, headers };
}
