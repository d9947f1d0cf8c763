import type OpenAI from 'openai';
import { readChunks } from './fixtures.js';

/**
 * Anthropic `*.chunks.jsonl` re-framed as the SSE body Anthropic sends: each payload under an
 * `event:` line naming its type (https://docs.anthropic.com/en/docs/build-with-claude/streaming).
 */
export function anthropicChunksToSse(name: string): string {
  return readChunks(name)
    .map((c) => `event: ${(c as { type: string }).type}\ndata: ${JSON.stringify(c)}\n\n`)
    .join('');
}

/** Gemini `*.chunks.jsonl` re-framed as the `alt=sse` body: data lines only, no [DONE]. */
export function geminiChunksToSse(name: string): string {
  return readChunks(name)
    .map((c) => `data: ${JSON.stringify(c)}\r\n\r\n`)
    .join('');
}

/** What a client assembles from a stream, per choice. */
export interface Assembled {
  role: string | undefined;
  content: string;
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
  finishReasons: string[];
}

/**
 * Reads a stream through the SDK and assembles it per choice, checking the chunk rules on the
 * way: the first delta of each choice has role assistant, a tool call's first delta has id,
 * type and name and later ones only arguments.
 */
export async function assemble(
  stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>,
): Promise<{
  choices: Map<number, Assembled>;
  usage: OpenAI.CompletionUsage | undefined;
  chunks: number;
}> {
  const choices = new Map<number, Assembled>();
  let usage: OpenAI.CompletionUsage | undefined;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      let state = choices.get(choice.index);
      if (!state) {
        state = { role: choice.delta.role, content: '', toolCalls: [], finishReasons: [] };
        choices.set(choice.index, state);
      }
      state.content += choice.delta.content ?? '';
      for (const call of choice.delta.tool_calls ?? []) {
        const known = state.toolCalls[call.index];
        if (known) {
          if (call.id !== undefined || call.function?.name !== undefined) {
            throw new Error(`tool call ${call.index} repeated its id or name`);
          }
          known.arguments += call.function?.arguments ?? '';
        } else {
          if (call.index !== state.toolCalls.length)
            throw new Error('tool call index out of order');
          if (!call.id || call.type !== 'function' || !call.function?.name) {
            throw new Error('first tool call delta lacks id, type or name');
          }
          state.toolCalls[call.index] = {
            id: call.id,
            name: call.function.name,
            arguments: call.function.arguments ?? '',
          };
        }
      }
      if (choice.finish_reason) state.finishReasons.push(choice.finish_reason);
    }
  }
  return { choices, usage, chunks };
}
