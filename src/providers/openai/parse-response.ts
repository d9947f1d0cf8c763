import { GatewayError } from '../../errors.js';
import { chatCompletionSchema } from '../../openai/chat-response.js';
import type { ResponseContext, TranslatedResponse } from '../provider.js';

/** OpenAI-compatible answers pass through whole; only `model` becomes the id the client asked. */
export function parseOpenAiResponse(body: unknown, ctx: ResponseContext): TranslatedResponse {
  const parsed = chatCompletionSchema.safeParse(body);
  if (!parsed.success) {
    throw new GatewayError(
      'upstream_bad_response',
      'The upstream provider sent an answer the gateway could not read.',
    );
  }
  const completion = parsed.data;
  completion.model = ctx.model;
  return { body: completion, usage: completion.usage ?? undefined };
}
