import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayError } from '../../errors.js';
import { mapUpstreamStatus, parseJsonObject, retryAfterFrom } from '../upstream-error.js';

/** OpenAI-compatible hosts answer `{"error":{"message":...}}`, some just `{"message":...}`. */
export function mapOpenAiError(
  status: number,
  body: string,
  headers: IncomingHttpHeaders,
): GatewayError {
  const json = parseJsonObject(body);
  const error = json?.error;
  let message: unknown = json?.message;
  if (error && typeof error === 'object') message = (error as Record<string, unknown>).message;
  else if (typeof error === 'string') message = error;
  return mapUpstreamStatus(
    status,
    typeof message === 'string' ? message : undefined,
    retryAfterFrom(headers),
  );
}
