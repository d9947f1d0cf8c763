import type { Usage } from '../../openai/chat-response.js';
import type { GeminiUsage } from './wire.js';

/**
 * Gemini usage to OpenAI's. Thought tokens are billed as output and OpenAI counts reasoning in
 * completion_tokens, so completion = candidates + thoughts; tokens of tool-use prompts count as
 * prompt. Cached tokens are already inside promptTokenCount.
 * https://ai.google.dev/api/generate-content#UsageMetadata
 */
export function mapGeminiUsage(usage: GeminiUsage | undefined): Usage {
  const prompt = (usage?.promptTokenCount ?? 0) + (usage?.toolUsePromptTokenCount ?? 0);
  const thoughts = usage?.thoughtsTokenCount ?? 0;
  const completion = (usage?.candidatesTokenCount ?? 0) + thoughts;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: usage?.cachedContentTokenCount ?? 0 },
    completion_tokens_details: { reasoning_tokens: thoughts },
  };
}
