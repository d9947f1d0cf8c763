import { chatChunkSchema, type OutChunk, type Usage } from '../../openai/chat-response.js';
import { GatewayError } from '../../errors.js';
import type { SseEvent } from '../../streaming/sse-decoder.js';
import type { ChunkSink, ResponseContext, StreamTranslator } from '../provider.js';

/**
 * OpenAI-compatible chunks pass through with `model` set to the id the client asked. The
 * upstream's `[DONE]` is dropped (the gateway writes its own), and a chunk carrying `error`
 * (OpenRouter does this when a stream fails) ends the stream as an error. A stream that ends
 * with neither `[DONE]` nor a finish_reason was cut short (or was never a stream: a JSON or
 * HTML body answers no events): an error too, never a quiet empty answer.
 */
export class OpenAiStream implements StreamTranslator {
  readonly #model: string;
  #finished = false;
  #usage: Usage | undefined;

  constructor(ctx: ResponseContext) {
    this.#model = ctx.model;
  }

  event(event: SseEvent, sink: ChunkSink): void {
    if (event.data === '[DONE]') {
      this.#finished = true;
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(event.data);
    } catch {
      throw new GatewayError(
        'upstream_bad_response',
        'The upstream provider sent an unreadable chunk.',
      );
    }
    const parsed = chatChunkSchema.safeParse(value);
    if (!parsed.success) {
      throw new GatewayError(
        'upstream_bad_response',
        'The upstream provider sent an unexpected chunk.',
      );
    }
    const chunk = parsed.data;
    if (chunk.error) {
      const message = typeof chunk.error.message === 'string' ? chunk.error.message : undefined;
      sink.error(
        new GatewayError(
          'upstream_unavailable',
          message
            ? `The upstream provider failed mid-stream: ${message}`
            : 'The upstream provider failed mid-stream.',
        ),
        chunk.usage ?? undefined,
      );
      return;
    }
    chunk.model = this.#model;
    chunk.choices ??= [];
    if (chunk.usage) this.#usage = chunk.usage;
    if (chunk.choices.some((c) => c.finish_reason)) this.#finished = true;
    sink.chunk(chunk as OutChunk);
  }

  end(sink: ChunkSink): void {
    if (this.#finished) return;
    sink.error(
      new GatewayError('upstream_unavailable', 'The upstream stream ended before the answer did.'),
      this.#usage,
    );
  }

  partialUsage(): Usage | undefined {
    return this.#usage;
  }
}
