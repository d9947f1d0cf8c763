import type { FinishReason } from '../../openai/chat-response.js';

/**
 * Anthropic stop_reason to OpenAI finish_reason. A choice that called a tool always ends with
 * tool_calls, whatever the provider said, since that is what clients branch on.
 * https://docs.anthropic.com/en/api/handling-stop-reasons
 */
export function mapAnthropicFinishReason(
  stopReason: string | null | undefined,
  calledTools: boolean,
): FinishReason {
  if (calledTools) return 'tool_calls';
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      // end_turn, stop_sequence, pause_turn and reasons added later.
      return 'stop';
  }
}
