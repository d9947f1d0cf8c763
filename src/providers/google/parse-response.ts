import { GatewayError } from '../../errors.js';
import type { ResponseContext, TranslatedResponse } from '../provider.js';
import { mapGeminiFinishReason } from './map-finish-reason.js';
import { mapGeminiUsage } from './map-usage.js';
import { toolCallId } from './tool-call-id.js';
import { responseSchema, type GeminiCandidate } from './wire.js';

/**
 * A generateContent answer as a chat.completion: one choice per candidate, text parts joined
 * (thought parts left out), function calls as tool_calls with ids made from the response id.
 * A prompt blocked before any candidate gives one empty choice ending content_filter.
 */
export function parseGeminiResponse(body: unknown, ctx: ResponseContext): TranslatedResponse {
  const parsed = responseSchema.safeParse(body);
  if (!parsed.success) {
    throw new GatewayError(
      'upstream_bad_response',
      'The upstream provider sent an answer the gateway could not read.',
    );
  }
  const answer = parsed.data;
  const id = answer.responseId ?? `chatcmpl-${crypto.randomUUID()}`;
  const candidates = answer.candidates ?? [];
  const choices =
    candidates.length > 0
      ? candidates.map((c, i) => choiceOf(c, c.index ?? i, id))
      : [blockedChoice()];
  const usage = mapGeminiUsage(answer.usageMetadata);
  return {
    body: { id, object: 'chat.completion', created: ctx.created, model: ctx.model, choices, usage },
    usage,
  };
}

function choiceOf(candidate: GeminiCandidate, index: number, id: string) {
  let text = '';
  const toolCalls: Array<Record<string, unknown>> = [];
  for (const part of candidate.content?.parts ?? []) {
    if (part.text !== undefined && part.thought !== true) text += part.text;
    const call = part.functionCall;
    if (call?.name !== undefined) {
      toolCalls.push({
        id: call.id ?? toolCallId(id, index, toolCalls.length),
        type: 'function',
        function: { name: call.name, arguments: JSON.stringify(call.args ?? {}) },
      });
    }
  }
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: text === '' ? null : text,
    refusal: null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const finish_reason = mapGeminiFinishReason(candidate.finishReason, toolCalls.length > 0);
  return { index, message, logprobs: null, finish_reason };
}

function blockedChoice() {
  return {
    index: 0,
    message: { role: 'assistant', content: null, refusal: null },
    logprobs: null,
    finish_reason: 'content_filter',
  };
}
