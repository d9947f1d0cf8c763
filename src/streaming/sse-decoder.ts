import { StringDecoder } from 'node:string_decoder';

export interface SseEvent {
  /** The `event:` field, or undefined for the default "message". */
  event: string | undefined;
  data: string;
}

/**
 * Incremental Server-Sent Events decoder (the WHATWG event-stream grammar). Bytes may be
 * split anywhere, inside a line or a UTF-8 character; lines end in LF, CRLF or CR. Comment
 * lines (`: PROCESSING`) and fields other than event and data are dropped.
 */
export class SseDecoder {
  readonly #text = new StringDecoder('utf8');
  #buffer = '';
  #event: string | undefined;
  #data: string[] = [];
  /** The last piece ended in CR, so a LF at the start of the next one belongs to it. */
  #pendingCr = false;

  /** Feeds bytes and calls `onEvent` for each complete event. */
  push(chunk: Buffer | string, onEvent: (event: SseEvent) => void): void {
    let text = typeof chunk === 'string' ? chunk : this.#text.write(chunk);
    if (this.#pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.#pendingCr = false;
    this.#buffer += text;
    this.#drain(onEvent);
  }

  /** Ends the stream: a last event without its blank line still counts. */
  end(onEvent: (event: SseEvent) => void): void {
    this.#buffer += this.#text.end();
    this.#drain(onEvent);
    if (this.#buffer.length > 0) this.#line(this.#buffer, onEvent);
    this.#buffer = '';
    this.#dispatch(onEvent);
  }

  #drain(onEvent: (event: SseEvent) => void): void {
    const buffer = this.#buffer;
    let start = 0;
    // Most streams have no CR at all: look for one once, not once per line.
    let cr = buffer.indexOf('\r');
    for (;;) {
      const lf = buffer.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = buffer.indexOf('\r', start);
      if (lf === -1 && cr === -1) break;
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        end = cr;
        if (cr + 1 === buffer.length) {
          this.#pendingCr = true;
          next = cr + 1;
        } else {
          next = buffer.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
        }
      } else {
        end = lf;
        next = lf + 1;
      }
      this.#line(buffer.slice(start, end), onEvent);
      start = next;
    }
    this.#buffer = start === 0 ? buffer : buffer.slice(start);
  }

  #line(line: string, onEvent: (event: SseEvent) => void): void {
    if (line.length === 0) {
      this.#dispatch(onEvent);
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
  }

  #dispatch(onEvent: (event: SseEvent) => void): void {
    if (this.#data.length > 0) {
      onEvent({ event: this.#event, data: this.#data.join('\n') });
    }
    this.#data = [];
    this.#event = undefined;
  }
}
