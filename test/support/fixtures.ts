import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** ../shared/fixtures beside the repository (JASYS_FIXTURES overrides). */
export const fixturesDir =
  process.env.JASYS_FIXTURES ??
  fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));

/** Our own recordings, beside the tests. */
export const ownFixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function fixturePath(name: string): string {
  const own = ownFixturesDir + name;
  return existsSync(own) ? own : fixturesDir + name;
}

export function readFixture(name: string): Buffer {
  return readFileSync(fixturePath(name));
}

export function readJsonFixture<T = unknown>(name: string): T {
  return JSON.parse(readFixture(name).toString('utf8')) as T;
}

/** A `*.chunks.jsonl` file: one parsed SSE data payload per line. */
export function readChunks(name: string): unknown[] {
  return readFixture(name)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}

/** Re-frames `*.chunks.jsonl` payloads as the SSE body an OpenAI-compatible host sends. */
export function chunksToSse(chunks: unknown[], options: { done?: boolean } = {}): string {
  const body = chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('');
  return options.done === false ? body : `${body}data: [DONE]\n\n`;
}

/** Parses an SSE body into its `data:` payloads (a reference decoder for tests). */
export function sseDataPayloads(body: string): string[] {
  return body
    .split(/\r?\n\r?\n/)
    .flatMap((block) =>
      block
        .split(/\r?\n/)
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart()),
    )
    .filter((d) => d !== '');
}
