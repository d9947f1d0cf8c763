import type { FinishReason } from '../../openai/chat-response.js';

/** Reasons that mean the answer was withheld or cut by a filter. */
const filtered = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'LANGUAGE',
]);

/**
 * Gemini finishReason to OpenAI finish_reason. Gemini says STOP after function calls too, and a
 * choice that called a tool always ends with tool_calls.
 * https://ai.google.dev/api/generate-content#FinishReason
 */
export function mapGeminiFinishReason(
  reason: string | undefined,
  calledTools: boolean,
): FinishReason {
  if (calledTools) return 'tool_calls';
  if (reason === 'MAX_TOKENS') return 'length';
  if (reason !== undefined && filtered.has(reason)) return 'content_filter';
  // STOP, OTHER, MALFORMED_FUNCTION_CALL and reasons added later.
  return 'stop';
}
