import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayError } from '../../errors.js';
import { mapUpstreamStatus, parseJsonObject, retryAfterFrom } from '../upstream-error.js';
import { errorBodySchema, type GeminiErrorObject } from './wire.js';

/** Google's RPC status names, for errors that come without an HTTP status (inside a stream). */
const statusOfCode: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

/**
 * Gemini errors: `{"error":{"code","message","status","details"}}`. A bad API key comes back
 * as 400 INVALID_ARGUMENT with reason API_KEY_INVALID; it is the operator's credential, so it
 * is mapped like a 401. RESOURCE_EXHAUSTED may carry a RetryInfo detail with `retryDelay`.
 * https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes
 */
export function mapGeminiError(
  status: number,
  body: string,
  headers: IncomingHttpHeaders,
): GatewayError {
  const parsed = errorBodySchema.safeParse(parseJsonArrayOrObject(body));
  let error: GeminiErrorObject | undefined;
  if (parsed.success) {
    error = Array.isArray(parsed.data) ? parsed.data[0]?.error : parsed.data.error;
  }
  return mapGeminiErrorObject(error, status, retryAfterFrom(headers));
}

/** Maps an error object, taking the status from it when the HTTP status says nothing (200). */
export function mapGeminiErrorObject(
  error: GeminiErrorObject | undefined,
  httpStatus?: number,
  retryAfterMs?: number,
): GatewayError {
  let status = httpStatus && httpStatus >= 400 ? httpStatus : undefined;
  const fromCode = error?.code && error.code >= 400 ? error.code : undefined;
  status ??= fromCode ?? statusOfCode[error?.status ?? ''] ?? 500;
  if (reasonOf(error) === 'API_KEY_INVALID') status = 401;
  return mapUpstreamStatus(status, error?.message?.trim(), retryAfterMs ?? retryDelayOf(error));
}

function parseJsonArrayOrObject(body: string): unknown {
  if (!body.trimStart().startsWith('[')) return parseJsonObject(body);
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function reasonOf(error: GeminiErrorObject | undefined): string | undefined {
  for (const detail of error?.details ?? []) {
    if (typeof detail.reason === 'string') return detail.reason;
  }
  return undefined;
}

/** RetryInfo.retryDelay is a protobuf Duration in JSON: "34.4s". */
function retryDelayOf(error: GeminiErrorObject | undefined): number | undefined {
  for (const detail of error?.details ?? []) {
    if (!detail['@type']?.endsWith('google.rpc.RetryInfo')) continue;
    const match = /^(\d+(?:\.\d+)?)s$/.exec(String(detail.retryDelay ?? ''));
    if (match) return Math.round(Number(match[1]) * 1000);
  }
  return undefined;
}
