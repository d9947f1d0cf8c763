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
    return {
      principal,
      reservation,
      requestId,
      startedAt: now,
      promptEstimate: promptTokens,
      completionCap: reservation.completionCap,
      headers: rateLimitHeaders(reservation.state, now),
      settled: false,
    };
  }

  /**
   * Records what a request used (in the books, as the difference from the reservation already
   * counted), commits it with the ledger row, then releases the rest of the reservation. Once
   * per tab; a second call does nothing.
   */
  async settle(tab: Tab, outcome: Outcome, now: number): Promise<void> {
    if (tab.settled) return;
    tab.settled = true;
    const { principal, reservation, startedAt } = tab;
    const tokens = outcome.promptTokens + outcome.completionTokens;
    const { upstream } = outcome;
    try {
      await this.#recorder.record({
        accountId: principal.accountId,
        day: reservation.day,
        requests: 0,
        tokens: tokens - reservation.tokens,
        ...(upstream && {
          ledger: {
            request_id: tab.requestId,
            account_id: principal.accountId,
            key_id: principal.keyId,
            model: upstream.model,
            provider: upstream.provider,
            deployment: upstream.deployment,
            prompt_tokens: outcome.promptTokens,
            completion_tokens: outcome.completionTokens,
            status: outcome.status,
            latency_ms: Math.max(0, Math.round(now - startedAt)),
            created_at: startedAt,
            day: reservation.day,
          },
        }),
      });
    } finally {
      await this.#limiter.settle(reservation, tokens);
    }
  }
}

/** One admitted request: what it reserved, and what the answer needs from that. */
export interface Tab {
  readonly principal: Principal;
  readonly reservation: Reservation;
  readonly requestId: string;
  readonly startedAt: number;
  readonly promptEstimate: number;
  /** Completion cap to send upstream. */
  readonly completionCap: number;
  /** Rate-limit headers as of the admission. */
  readonly headers: Record<string, string>;
  settled: boolean;
}
