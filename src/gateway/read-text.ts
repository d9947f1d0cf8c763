import type { Readable } from 'node:stream';
import { upstreamFailure } from './upstream-client.js';

/** Reads an upstream body as UTF-8, at most `limit` bytes (the rest is dropped). */
export async function readText(
  body: Readable,
  signal: AbortSignal,
  limit = Number.POSITIVE_INFINITY,
): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const bytes of body) {
      parts.push(bytes as Buffer);
      size += (bytes as Buffer).length;
      if (size >= limit) {
        body.destroy();
        break;
      }
    }
  } catch (error) {
    throw upstreamFailure(error, signal);
  }
  return parts.length === 1 ? parts[0]!.toString('utf8') : Buffer.concat(parts).toString('utf8');
}
