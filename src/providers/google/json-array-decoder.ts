import { StringDecoder } from 'node:string_decoder';
import type { SseEvent } from '../../streaming/sse-decoder.js';
import { SseDecoder } from '../../streaming/sse-decoder.js';
import type { StreamDecoder } from '../provider.js';

/**
 * streamGenerateContent answers SSE with `alt=sse` (what the gateway asks for) and otherwise
 * one JSON array written element by element. A proxy or a base URL that drops the query gives
 * the array form, so the body's first character decides: `[` is read as an array, each
 * top-level element becoming one event; anything else goes to the SSE decoder.
 * https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 */
export class GeminiStreamDecoder implements StreamDecoder {
  #mode: 'unknown' | 'sse' | 'array' = 'unknown';
  readonly #sse = new SseDecoder();
  readonly #text = new StringDecoder('utf8');
  #element = '';
  #depth = 0;
  #inString = false;
  #escaped = false;

  push(bytes: Buffer, onEvent: (event: SseEvent) => void): void {
    if (this.#mode === 'sse') return this.#sse.push(bytes, onEvent);
    this.#scan(this.#text.write(bytes), onEvent);
  }

  end(onEvent: (event: SseEvent) => void): void {
    if (this.#mode === 'sse') return this.#sse.end(onEvent);
    this.#scan(this.#text.end(), onEvent);
  }

  #scan(text: string, onEvent: (event: SseEvent) => void): void {
    if (this.#mode === 'unknown') {
      const trimmed = text.trimStart();
      if (trimmed === '') return;
      if (!trimmed.startsWith('[')) {
        this.#mode = 'sse';
        return this.#sse.push(text, onEvent);
      }
      this.#mode = 'array';
    }
    let start = this.#depth > 1 ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (c === '\\') this.#escaped = true;
        else if (c === '"') this.#inString = false;
        continue;
      }
      if (c === '"') this.#inString = true;
      else if (c === '[' || c === '{') {
        this.#depth++;
        // Depth 1 is the array itself; an element opens at depth 2.
        if (this.#depth === 2) start = i;
      } else if (c === ']' || c === '}') {
        this.#depth--;
        if (this.#depth === 1 && start !== -1) {
          onEvent({ event: undefined, data: this.#element + text.slice(start, i + 1) });
          this.#element = '';
          start = -1;
        }
      }
    }
    if (start !== -1) this.#element += text.slice(start);
  }
}
