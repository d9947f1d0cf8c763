import { errorBody, GatewayError } from '../errors.js';
import type { ChatRequest } from '../openai/chat-request.js';
import type { OutChunk, Usage } from '../openai/chat-response.js';
import type { ChunkSink, ProviderAdapter, ResponseContext } from '../providers/provider.js';
import { SseDecoder, type SseEvent } from '../streaming/sse-decoder.js';
import { sseData, sseDone, sseHeaders } from '../streaming/sse-format.js';
import type { LedgerStatus, Tab } from './accounting.js';
import type { ChatCall, ChatOutcome } from './chat-pipeline.js';
import { CompletionCounter } from './completion-counter.js';
import type { Responder } from './responder.js';
import { upstreamFailure, type UpstreamResponse } from './upstream-client.js';

export interface StreamRelay {
  call: ChatCall;
  request: ChatRequest;
  adapter: ProviderAdapter;
  response: UpstreamResponse;
  ctx: ResponseContext;
  tab: Tab;
  headers: Record<string, string>;
  responder: Responder;
  outcome: ChatOutcome;
  /** Writes the ledger; awaited before the stream's last bytes. */
  settle: (status: LedgerStatus, usage: Usage) => Promise<void>;
}

/**
 * Relays one upstream stream to the client: decode, translate chunk by chunk, frame as SSE,
 * honour back-pressure, settle the books, then `[DONE]` (or the error event) as the last bytes.
 */
export async function relayStream(relay: StreamRelay): Promise<void> {
  const { call, request, adapter, response, ctx, tab, headers, responder, outcome, settle } = relay;
  const includeUsage = request.stream_options?.include_usage === true;
  const translator = adapter.createStream(ctx);
  const decoder = adapter.createDecoder?.() ?? new SseDecoder();
  const counter = new CompletionCounter();
  let failure: GatewayError | undefined;
  let blocked = false;
  // Frames translated from one upstream read go out in one write: a write per frame was the
  // largest cost of a stream in the profile.
  let pending = '';
  const flush = () => {
    if (pending === '') return;
    if (!responder.write(pending)) blocked = true;
    pending = '';
  };
  // Headers go out with the first chunk, so a failure before it is still a plain error answer.
  let started = false;
  const start = () => {
    started = true;
    responder.startStream({ ...headers, ...sseHeaders });
  };
  const sink: ChunkSink = {
    chunk(chunk: OutChunk) {
      if (failure) return;
      if (chunk.usage) {
        outcome.usage = chunk.usage;
        if (!includeUsage && chunk.choices.length === 0) return;
      } else if (!outcome.usage) {
        counter.addChunk(chunk);
      }
      if (!includeUsage && 'usage' in chunk) delete chunk.usage;
      if (!started) start();
      pending += sseData(chunk);
    },
    error(error: GatewayError, usage?: Usage) {
      if (usage) outcome.usage = usage;
      failure ??= error;
    },
  };
  const onEvent = (event: SseEvent) => translator.event(event, sink);

  const body = response.body;
  try {
    for await (const bytes of body) {
      decoder.push(bytes as Buffer, onEvent);
      flush();
      if (failure) break;
      if (blocked) {
        // The client reads slower than the upstream writes: stop reading until it catches up.
        await new Promise<void>((resolve) => responder.onDrain(resolve));
        blocked = false;
      }
    }
    if (!failure) {
      decoder.end(onEvent);
      translator.end(sink);
    }
  } catch (error) {
    failure ??= streamFailure(error, call.signal);
  }
  flush();
  if (failure) body.destroy();

  const usage = outcome.usage ?? cutShortUsage(translator.partialUsage?.(), counter, tab);
  if (call.signal.aborted) {
    outcome.status = 499;
    await settle('client_cancelled', usage);
    return;
  }
  if (failure && !started) {
    // Nothing reached the client: the caller answers with the error's own status.
    await settle('upstream_error', usage);
    throw failure;
  }
  await settle(failure ? 'upstream_error' : 'ok', usage);
  if (!started) start();
  if (failure) {
    outcome.error = failure;
    outcome.status = failure.status;
    responder.end(sseData(errorBody(failure, call.requestId)));
  } else {
    responder.end(sseDone);
  }
}

/**
 * Usage of a stream that ended without its usage chunk: the provider's figures so far (the
 * prompt is exact once it reported it), and at least what was counted as it streamed.
 */
function cutShortUsage(reported: Usage | undefined, counter: CompletionCounter, tab: Tab): Usage {
  const counted = counter.usage(tab.promptEstimate);
  if (!reported) return counted;
  const completion = Math.max(reported.completion_tokens, counted.completion_tokens);
  return {
    prompt_tokens: reported.prompt_tokens,
    completion_tokens: completion,
    total_tokens: reported.prompt_tokens + completion,
  };
}

/**
 * A stream that broke: the socket (a system or undici error, with a `code`) is the upstream's
 * failure; anything else thrown while translating is our own bug, a 500 that is logged.
 */
function streamFailure(error: unknown, signal: AbortSignal): GatewayError {
  if (error instanceof GatewayError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' || signal.aborted) return upstreamFailure(error, signal);
  return new GatewayError('internal_error', 'The gateway failed while relaying the answer.', {
    cause: error,
  });
}
