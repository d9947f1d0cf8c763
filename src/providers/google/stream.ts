import { GatewayError } from '../../errors.js';
import type { OutChunkChoice, Usage } from '../../openai/chat-response.js';
import type { SseEvent } from '../../streaming/sse-decoder.js';
import type { ChunkSink, ResponseContext, StreamTranslator } from '../provider.js';
import { chunkOf, parseEventJson, usageChunk, type ChunkHead } from '../shared/chunks.js';
import { mapGeminiErrorObject } from './map-error.js';
import { mapGeminiFinishReason } from './map-finish-reason.js';
import { mapGeminiUsage } from './map-usage.js';
import { PartialArguments } from './partial-args.js';
import { toolCallId } from './tool-call-id.js';
import { responseSchema, type GeminiCandidate, type GeminiFunctionCall } from './wire.js';

/** One choice being streamed. */
interface ChoiceState {
  toolCount: number;
  finished: boolean;
  /** A call whose arguments are still arriving in pieces. */
  open?: { index: number; args: PartialArguments };
}

/**
 * Gemini stream chunks (each a GenerateContentResponse) to OpenAI chunks, one choice per
 * candidate index. Text parts become content (thought parts are left out); a function call
 * becomes a tool call with the next index of its choice, its first delta carrying id, type
 * and name. A finishReason gives that choice's one finish chunk; the usage chunk, from the
 * last usageMetadata (each one restates the totals so far), follows at the end.
 */
export class GeminiStream implements StreamTranslator {
  readonly #ctx: ResponseContext;
  #head: ChunkHead | undefined;
  readonly #choices = new Map<number, ChoiceState>();
  #usage: Usage | undefined;
  #failed = false;

  constructor(ctx: ResponseContext) {
    this.#ctx = ctx;
  }

  event(event: SseEvent, sink: ChunkSink): void {
    if (this.#failed) return;
    const parsed = responseSchema.safeParse(parseEventJson(event.data));
    if (!parsed.success) {
      throw new GatewayError(
        'upstream_bad_response',
        'The upstream provider sent an unexpected chunk.',
      );
    }
    const chunk = parsed.data;
    if (chunk.usageMetadata) this.#usage = mapGeminiUsage(chunk.usageMetadata);
    if (chunk.error) {
      this.#failed = true;
      sink.error(mapGeminiErrorObject(chunk.error), this.#usage);
      return;
    }
    this.#head ??= {
      id: chunk.responseId ?? `chatcmpl-${crypto.randomUUID()}`,
      created: this.#ctx.created,
      model: this.#ctx.model,
    };
    const candidates = chunk.candidates ?? [];
    if (candidates.length === 0 && chunk.promptFeedback?.blockReason) {
      // The prompt itself was blocked: no candidate will come.
      this.#choice(0, sink);
      this.#finish(0, 'content_filter', sink);
    }
    candidates.forEach((candidate, i) => this.#candidate(candidate, candidate.index ?? i, sink));
  }

  partialUsage(): Usage | undefined {
    return this.#usage;
  }

  end(sink: ChunkSink): void {
    if (this.#failed) return;
    const head = this.#head;
    const unfinished = [...this.#choices.values()].some((c) => !c.finished);
    if (!head || unfinished || this.#choices.size === 0) {
      sink.error(
        new GatewayError(
          'upstream_unavailable',
          'The upstream stream ended before the answer did.',
        ),
        this.#usage,
      );
      return;
    }
    sink.chunk(usageChunk(head, this.#usage ?? mapGeminiUsage(undefined)));
  }

  #candidate(candidate: GeminiCandidate, index: number, sink: ChunkSink): void {
    const choice = this.#choice(index, sink);
    if (choice.finished) return;
    for (const part of candidate.content?.parts ?? []) {
      if (part.text && part.thought !== true) this.#send(index, { content: part.text }, sink);
      if (part.functionCall) this.#functionCall(choice, index, part.functionCall, sink);
    }
    if (candidate.finishReason === undefined) return;
    this.#close(choice, index, sink);
    const reason = mapGeminiFinishReason(candidate.finishReason, choice.toolCount > 0);
    this.#finish(index, reason, sink);
  }

  #functionCall(
    choice: ChoiceState,
    index: number,
    call: GeminiFunctionCall,
    sink: ChunkSink,
  ): void {
    if (call.name !== undefined) {
      this.#close(choice, index, sink);
      const position = choice.toolCount++;
      const id = call.id ?? toolCallId(this.#head!.id, index, position);
      const streamed = call.willContinue === true && call.args === undefined;
      const args = streamed ? '' : JSON.stringify(call.args ?? {});
      const first = {
        index: position,
        id,
        type: 'function' as const,
        function: { name: call.name, arguments: args },
      };
      this.#send(index, { tool_calls: [first] }, sink);
      if (streamed) choice.open = { index: position, args: new PartialArguments() };
    }
    if (call.partialArgs) choice.open?.args.apply(call.partialArgs);
    // An empty functionCall (or one that says it will not continue) closes a streamed call.
    if (call.name === undefined && call.willContinue !== true) this.#close(choice, index, sink);
  }

  #close(choice: ChoiceState, index: number, sink: ChunkSink): void {
    const open = choice.open;
    if (!open) return;
    delete choice.open;
    const piece = { index: open.index, function: { arguments: open.args.json() } };
    this.#send(index, { tool_calls: [piece] }, sink);
  }

  #choice(index: number, sink: ChunkSink): ChoiceState {
    let choice = this.#choices.get(index);
    if (!choice) {
      choice = { toolCount: 0, finished: false };
      this.#choices.set(index, choice);
      this.#send(index, { role: 'assistant', content: '' }, sink);
    }
    return choice;
  }

  #finish(index: number, reason: OutChunkChoice['finish_reason'], sink: ChunkSink): void {
    const choice = this.#choices.get(index);
    if (!choice || choice.finished) return;
    choice.finished = true;
    sink.chunk(chunkOf(this.#head!, [{ index, delta: {}, finish_reason: reason }]));
  }

  #send(index: number, delta: OutChunkChoice['delta'], sink: ChunkSink): void {
    sink.chunk(chunkOf(this.#head!, [{ index, delta, finish_reason: null }]));
  }
}
