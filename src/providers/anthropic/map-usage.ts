import type { Usage } from '../../openai/chat-response.js';
import type { AnthropicUsage } from './wire.js';

/**
 * Anthropic's input_tokens leaves out the tokens read from or written to the prompt cache;
 * OpenAI's prompt_tokens counts every prompt token once, so the three are added.
 * https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#tracking-cache-performance
 */
export function mapAnthropicUsage(usage: AnthropicUsage): Usage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const prompt = (usage.input_tokens ?? 0) + cacheRead + (usage.cache_creation_input_tokens ?? 0);
  const completion = usage.output_tokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead },
  };
}

/**
 * Streamed usage: message_start gives the input figures, each message_delta the output count
 * so far (cumulative, not a delta) and sometimes newer input figures. Later values win.
 */
export function mergeAnthropicUsage(into: AnthropicUsage, next: AnthropicUsage): AnthropicUsage {
  const merged: AnthropicUsage = { ...into };
  for (const key of [
    'input_tokens',
    'output_tokens',
    'cache_creation_input_tokens',
    'cache_read_input_tokens',
  ] as const) {
    const value = next[key];
    if (value != null) merged[key] = value;
  }
  return merged;
}
