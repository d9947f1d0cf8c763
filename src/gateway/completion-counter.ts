import type { OutChunk, Usage } from '../openai/chat-response.js';
import { countTextTokens } from '../usage/count-tokens.js';

/**
 * Counts the completion tokens of an answer whose provider reported no usage: the text,
 * refusals and tool-call arguments it carried, with the tokenizer, once at the end.
 */
export class CompletionCounter {
  #parts: string[] = [];

  addChunk(chunk: OutChunk): void {
    for (const choice of chunk.choices) {
      const delta = choice.delta;
      if (typeof delta.content === 'string') this.#parts.push(delta.content);
      if (typeof delta.refusal === 'string') this.#parts.push(delta.refusal);
      for (const call of delta.tool_calls ?? []) {
        if (call.function.name) this.#parts.push(call.function.name);
        this.#parts.push(call.function.arguments);
      }
    }
  }

  /** A whole `chat.completion` body. */
  addCompletion(body: Record<string, unknown>): void {
    const choices = Array.isArray(body.choices) ? (body.choices as unknown[]) : [];
    for (const choice of choices) {
      const message = (choice as { message?: Record<string, unknown> }).message ?? {};
      if (typeof message.content === 'string') this.#parts.push(message.content);
      if (typeof message.refusal === 'string') this.#parts.push(message.refusal);
      const calls = Array.isArray(message.tool_calls) ? (message.tool_calls as unknown[]) : [];
      for (const call of calls) {
        const fn = (call as { function?: { name?: unknown; arguments?: unknown } }).function;
        if (typeof fn?.name === 'string') this.#parts.push(fn.name);
        if (typeof fn?.arguments === 'string') this.#parts.push(fn.arguments);
      }
    }
  }

  /** Usage from the counted completion and the prompt estimate. */
  usage(promptTokens: number): Usage {
    const completion = countTextTokens(this.#parts.join(''));
    return {
      prompt_tokens: promptTokens,
      completion_tokens: completion,
      total_tokens: promptTokens + completion,
    };
  }
}
