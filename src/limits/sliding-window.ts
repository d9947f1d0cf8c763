/**
 * A sliding-window log: the times of admitted requests in the last `windowMs`. Exact (no
 * boundary bursts, unlike a fixed window) at a memory cost of one number per admitted request
 * still in the window, at most the limit.
 */
export class SlidingWindow {
  readonly #windowMs: number;
  #times: number[] = [];
  #head = 0;

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** Requests admitted in the window ending at `now`. */
  count(now: number): number {
    this.#expire(now);
    return this.#times.length - this.#head;
  }

  add(now: number): void {
    this.#times.push(now);
  }

  /** When the oldest request leaves the window, or `now` when it is empty. */
  nextExpiry(now: number): number {
    this.#expire(now);
    const oldest = this.#times[this.#head];
    return oldest === undefined ? now : oldest + this.#windowMs;
  }

  #expire(now: number): void {
    const cutoff = now - this.#windowMs;
    while (this.#head < this.#times.length && this.#times[this.#head]! <= cutoff) this.#head++;
    // Compact now and then so the array does not grow for ever.
    if (this.#head > 64 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
  }
}
