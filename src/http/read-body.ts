import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../errors.js';

/** Reads a JSON request body of at most `limit` bytes and parses it. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new GatewayError(
      'invalid_content_type',
      'The request body must be JSON with "Content-Type: application/json" ' +
        `(got "${type.slice(0, 100)}").`,
    );
  }
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw tooLarge(limit);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    parts.push(chunk as Buffer);
  }
  if (size === 0) throw new GatewayError('invalid_json', 'The request body is empty.');
  const text =
    parts.length === 1 ? parts[0]!.toString('utf8') : Buffer.concat(parts).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GatewayError(
      'invalid_json',
      `The request body is not valid JSON: ${(error as Error).message}`,
    );
  }
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError(
    'body_too_large',
    `The request body is larger than the limit of ${limit} bytes.`,
  );
}
