import { GatewayError } from '../../errors.js';
import type { FinishReason, OutChunkChoice, Usage } from '../../openai/chat-response.js';
import type { SseEvent } from '../../streaming/sse-decoder.js';
import type { ChunkSink, ResponseContext, StreamTranslator } from '../provider.js';
import { chunkOf, parseEventJson, usageChunk, type ChunkHead } from '../shared/chunks.js';
import { mapAnthropicStreamError } from './map-error.js';
import { mapAnthropicFinishReason } from './map-finish-reason.js';
import { mapAnthropicUsage, mergeAnthropicUsage } from './map-usage.js';
import {
  blockDeltaSchema,
  blockStartSchema,
  blockStopSchema,
  blockText,
  blockToolUse,
  errorBodySchema,
  messageDeltaSchema,
  messageStartSchema,
  type AnthropicUsage,
} from './wire.js';

/** A tool_use block being streamed, by its Anthropic block index. */
interface OpenTool {
  index: number;
  sentArguments: boolean;
}

/**
 * Anthropic stream events to OpenAI chunks (one choice, index 0).
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming
 * - message_start gives the first chunk, with role assistant.
 * - text_delta becomes content; thinking, signature and citation deltas are left out.
 * - Each tool_use block gets the next tool call index; its first delta carries id, type and
 *   name, input_json_delta pieces follow. A call streamed with no argument text gets `{}`.
 * - message_stop gives the finish chunk, then the usage chunk. `event: error` ends the stream
 *   with the mapped error, and so does a body that ends before message_stop.
 */
export class AnthropicStream implements StreamTranslator {
  readonly #ctx: ResponseContext;
  #head: ChunkHead | undefined;
  #usage: AnthropicUsage = {};
  #stopReason: string | null | undefined;
  readonly #tools = new Map<number, OpenTool>();
  #toolCount = 0;
  #done = false;

  constructor(ctx: ResponseContext) {
    this.#ctx = ctx;
  }

  event(event: SseEvent, sink: ChunkSink): void {
    if (this.#done) return;
    const value = parseEventJson(event.data);
    const type = event.event ?? typeOf(value);
    switch (type) {
      case 'message_start':
        return this.#start(value, sink);
      case 'content_block_start':
        return this.#blockStart(value, sink);
      case 'content_block_delta':
        return this.#blockDelta(value, sink);
      case 'content_block_stop':
        return this.#blockStop(value, sink);
      case 'message_delta': {
        const delta = read(messageDeltaSchema, value);
        if (delta.delta.stop_reason != null) this.#stopReason = delta.delta.stop_reason;
        if (delta.usage) this.#usage = mergeAnthropicUsage(this.#usage, delta.usage);
        return;
      }
      case 'message_stop':
        return this.#finish(sink);
      case 'error': {
        const parsed = errorBodySchema.safeParse(value);
        this.#done = true;
        const error = parsed.success ? parsed.data.error : undefined;
        sink.error(mapAnthropicStreamError(error), this.#head ? this.#usageNow() : undefined);
        return;
      }
      default:
        // ping, and event types added later: https://docs.anthropic.com/en/api/versioning
        return;
    }
  }

  partialUsage(): Usage | undefined {
    return this.#head ? this.#usageNow() : undefined;
  }

  end(sink: ChunkSink): void {
    if (this.#done) return;
    this.#done = true;
    sink.error(
      new GatewayError('upstream_unavailable', 'The upstream stream ended before the answer did.'),
      this.#head ? this.#usageNow() : undefined,
    );
  }

  #start(value: unknown, sink: ChunkSink): void {
    const start = read(messageStartSchema, value);
    this.#head = { id: start.message.id, created: this.#ctx.created, model: this.#ctx.model };
    if (start.message.usage) this.#usage = mergeAnthropicUsage(this.#usage, start.message.usage);
    this.#send(sink, { role: 'assistant', content: '' });
  }

  #blockStart(value: unknown, sink: ChunkSink): void {
    const { index, content_block: block } = read(blockStartSchema, value);
    const text = blockText(block);
    if (text) this.#send(sink, { content: text });
    const call = blockToolUse(block);
    if (!call) return;
    const tool: OpenTool = { index: this.#toolCount++, sentArguments: false };
    this.#tools.set(index, tool);
    this.#send(sink, {
      tool_calls: [
        {
          index: tool.index,
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: '' },
        },
      ],
    });
  }

  #blockDelta(value: unknown, sink: ChunkSink): void {
    const { index, delta } = read(blockDeltaSchema, value);
    if (delta.type === 'text_delta' && typeof delta.text === 'string' && delta.text !== '') {
      this.#send(sink, { content: delta.text });
    }
    const tool = this.#tools.get(index);
    if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string' && tool) {
      if (delta.partial_json === '') return;
      tool.sentArguments = true;
      const piece = { index: tool.index, function: { arguments: delta.partial_json } };
      this.#send(sink, { tool_calls: [piece] });
    }
  }

  #blockStop(value: unknown, sink: ChunkSink): void {
    const tool = this.#tools.get(read(blockStopSchema, value).index);
    if (tool && !tool.sentArguments) {
      // A call with no input streams no JSON at all; clients parse arguments, so send {}.
      tool.sentArguments = true;
      this.#send(sink, { tool_calls: [{ index: tool.index, function: { arguments: '{}' } }] });
    }
  }

  #finish(sink: ChunkSink): void {
    const head = this.#requireHead();
    this.#done = true;
    const reason: FinishReason = mapAnthropicFinishReason(this.#stopReason, this.#toolCount > 0);
    sink.chunk(chunkOf(head, [{ index: 0, delta: {}, finish_reason: reason }]));
    sink.chunk(usageChunk(head, this.#usageNow()));
  }

  #usageNow() {
    return mapAnthropicUsage(this.#usage);
  }

  #send(sink: ChunkSink, delta: OutChunkChoice['delta']): void {
    sink.chunk(chunkOf(this.#requireHead(), [{ index: 0, delta, finish_reason: null }]));
  }

  #requireHead(): ChunkHead {
    if (!this.#head) throw badEvent();
    return this.#head;
  }
}

function typeOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' ? type : undefined;
}

interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/** An event parsed with its schema; an event that does not fit is a bad upstream answer. */
function read<T>(schema: Schema<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badEvent();
  return parsed.data;
}

function badEvent(): GatewayError {
  return new GatewayError(
    'upstream_bad_response',
    'The upstream provider sent an unexpected event.',
  );
}
