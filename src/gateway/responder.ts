/**
 * How the pipeline answers, free of any HTTP library: the Node server implements it on a
 * ServerResponse, tests and other runtimes on whatever they have.
 */
export interface Responder {
  /** A whole JSON answer. */
  json(status: number, headers: Record<string, string>, body: unknown): void;
  /** Sets status 200 and the SSE headers; they leave with the first write, before any event. */
  startStream(headers: Record<string, string>): void;
  /** Writes stream text; false means the client is slow: wait for `onDrain`. */
  write(text: string): boolean;
  onDrain(callback: () => void): void;
  /** Ends the answer, with its last text if any (one write, not two). */
  end(text?: string): void;
}
