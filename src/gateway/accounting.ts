import type { Principal } from '../accounts/authenticate.js';
import type { GatewayConfig } from '../config/schema.js';
import type { Limiter, Reservation } from '../limits/limiter.js';
import { rateLimitHeaders } from '../limits/rate-limit-headers.js';
import type { ChatRequest } from '../openai/chat-request.js';
import { estimatePromptTokens } from '../usage/count-tokens.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';

export type LedgerStatus = 'ok' | 'upstream_error' | 'client_cancelled';

/** How a request ended, for its settlement. */
export interface Outcome {
  status: LedgerStatus;
  promptTokens: number;
  completionTokens: number;
  /** Set when the request reached a provider: it gets a ledger row. */
  upstream?: { model: string; provider: string; deployment: string };
}

/**
 * Limits and the books for one request: reserve before the upstream call, settle after it.
 * Settling writes the ledger and the day's counters and returns only once they are committed.
 */
export class Accounting {
  readonly #config: GatewayConfig;
  readonly #limiter: Limiter;
  readonly #recorder: UsageRecorder;

  constructor(config: GatewayConfig, limiter: Limiter, recorder: UsageRecorder) {
    this.#config = config;
    this.#limiter = limiter;
    this.#recorder = recorder;
  }

  /** Rate-limit headers for an answer that reserved nothing (a 400 or 403 after auth). */
  async headers(principal: Principal, now: number): Promise<Record<string, string>> {
    const state = await this.#limiter.peek(
      principal.accountId,
      this.#config.tiers[principal.tier],
      now,
    );
    return rateLimitHeaders(state, now);
  }

  /** Reserves a request and its tokens, or throws the 429 of the limit that binds. */
  async open(
    principal: Principal,
    request: ChatRequest,
    requestId: string,
    now: number,
  ): Promise<Tab> {
    const promptTokens = estimatePromptTokens(request);
    const reservation = await this.#limiter.reserve({
      accountId: principal.accountId,
      limits: this.#config.tiers[principal.tier],
      promptTokens,
      requestedCap: request.max_completion_tokens ?? request.max_tokens ?? undefined,
      now,
    });
    this.#recorder.recordSoon({
      accountId: principal.accountId,
      day: reservation.day,
      requests: 1,
      tokens: reservation.tokens,
    });
    return new Tab(
      this.#limiter,
      this.#recorder,
      principal,
      reservation,
      requestId,
      now,
      promptTokens,
    );
  }
}

/** One admitted request's reservation, settled exactly once. */
export class Tab {
  readonly headers: Record<string, string>;
  readonly completionCap: number;
  readonly promptEstimate: number;
  readonly #limiter: Limiter;
  readonly #recorder: UsageRecorder;
  readonly #principal: Principal;
  readonly #reservation: Reservation;
  readonly #requestId: string;
  readonly #startedAt: number;
  #settled = false;

  constructor(
    limiter: Limiter,
    recorder: UsageRecorder,
    principal: Principal,
    reservation: Reservation,
    requestId: string,
    now: number,
    promptEstimate: number,
  ) {
    this.#limiter = limiter;
    this.#recorder = recorder;
    this.#principal = principal;
    this.#reservation = reservation;
    this.#requestId = requestId;
    this.#startedAt = now;
    this.promptEstimate = promptEstimate;
    this.completionCap = reservation.completionCap;
    this.headers = rateLimitHeaders(reservation.state, now);
  }

  /**
   * Records what was used (in the books, as the difference from the reservation already
   * counted), commits it with the ledger row, then releases the rest of the reservation.
   */
  async settle(outcome: Outcome, now: number): Promise<void> {
    if (this.#settled) return;
    this.#settled = true;
    const tokens = outcome.promptTokens + outcome.completionTokens;
    const { upstream } = outcome;
    try {
      await this.#recorder.record({
        accountId: this.#principal.accountId,
        day: this.#reservation.day,
        requests: 0,
        tokens: tokens - this.#reservation.tokens,
        ...(upstream && {
          ledger: {
            request_id: this.#requestId,
            account_id: this.#principal.accountId,
            key_id: this.#principal.keyId,
            model: upstream.model,
            provider: upstream.provider,
            deployment: upstream.deployment,
            prompt_tokens: outcome.promptTokens,
            completion_tokens: outcome.completionTokens,
            status: outcome.status,
            latency_ms: Math.max(0, Math.round(now - this.#startedAt)),
            created_at: this.#startedAt,
            day: this.#reservation.day,
          },
        }),
      });
    } finally {
      await this.#limiter.settle(this.#reservation, tokens);
    }
  }
}
