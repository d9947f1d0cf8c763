import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayError } from '../../errors.js';
import { mapUpstreamStatus, parseJsonObject, retryAfterFrom } from '../upstream-error.js';
import { errorBodySchema, type AnthropicErrorObject } from './wire.js';

/** Anthropic answers `{"type":"error","error":{"type":...,"message":...}}` on every failure. */
export function mapAnthropicError(
  status: number,
  body: string,
  headers: IncomingHttpHeaders,
): GatewayError {
  const parsed = errorBodySchema.safeParse(parseJsonObject(body));
  const message = parsed.success ? parsed.data.error.message : undefined;
  return mapUpstreamStatus(status, message, retryAfterFrom(headers));
}

/**
 * The status an error type stands for, for `event: error` inside a 200 stream, which has no
 * status of its own. https://docs.anthropic.com/en/api/errors#http-errors
 */
const statusOfType: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** Maps a streamed error event's `error` object. Unknown types count as a server failure. */
export function mapAnthropicStreamError(error: AnthropicErrorObject | undefined): GatewayError {
  const status = statusOfType[error?.type ?? ''] ?? 500;
  return mapUpstreamStatus(status, error?.message);
}
