import { GatewayError } from '../../errors.js';
import type { ResponseContext, TranslatedResponse } from '../provider.js';
import { mapAnthropicFinishReason } from './map-finish-reason.js';
import { mapAnthropicUsage } from './map-usage.js';
import { blockText, blockToolUse, messageSchema } from './wire.js';

interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/**
 * A Messages API answer as a chat.completion: text blocks joined into content, tool_use blocks
 * into tool_calls (Anthropic's ids kept, so they are stable), thinking and server-tool blocks
 * left out of content.
 */
export function parseAnthropicResponse(body: unknown, ctx: ResponseContext): TranslatedResponse {
  const parsed = messageSchema.safeParse(body);
  if (!parsed.success) {
    throw new GatewayError(
      'upstream_bad_response',
      'The upstream provider sent an answer the gateway could not read.',
    );
  }
  const answer = parsed.data;
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const block of answer.content) {
    text += blockText(block) ?? '';
    const call = blockToolUse(block);
    if (call) {
      toolCalls.push({
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: JSON.stringify(call.input ?? {}) },
      });
    }
  }
  const usage = mapAnthropicUsage(answer.usage);
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: text === '' ? null : text,
    refusal: null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    body: {
      id: answer.id,
      object: 'chat.completion',
      created: ctx.created,
      model: ctx.model,
      choices: [
        {
          index: 0,
          message,
          logprobs: null,
          finish_reason: mapAnthropicFinishReason(answer.stop_reason, toolCalls.length > 0),
        },
      ],
      usage,
    },
    usage,
  };
}
