import type { OutChunk, OutChunkChoice, Usage } from '../../openai/chat-response.js';

/** What every chunk of one streamed answer repeats. */
export interface ChunkHead {
  id: string;
  created: number;
  model: string;
}

/** A chunk with the given choices. */
export function chunkOf(head: ChunkHead, choices: OutChunkChoice[]): OutChunk {
  return { ...head, object: 'chat.completion.chunk', choices };
}

/** The usage chunk: no choices, the answer's usage. */
export function usageChunk(head: ChunkHead, usage: Usage): OutChunk {
  return { ...head, object: 'chat.completion.chunk', choices: [], usage };
}

/** An event's JSON payload, or undefined when it is not JSON. */
export function parseEventJson(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}
