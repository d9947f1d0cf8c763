import type { ChatRequest } from '../../openai/chat-request.js';
import type { RequestContext, UpstreamRequest } from '../provider.js';
import {
  checkConversation,
  completionCap,
  refuse,
  refuseLogprobs,
  stopSequences,
} from '../shared/request-rules.js';
import { convertMessages } from './convert-messages.js';
import { convertToolChoice, convertTools } from './convert-tools.js';

/** The API version this translation is written against. */
// https://docs.anthropic.com/en/api/versioning
export const anthropicVersion = '2023-06-01';

/**
 * An OpenAI chat request as a Messages API call. Dropped, by the rule in
 * ../shared/request-rules.ts: frequency and presence penalties, seed, logit_bias and
 * stream_options (usage always comes with the stream). Refused: n above 1, logprobs,
 * response_format json_object and json_schema (the Messages API has no JSON mode), and
 * temperature above 1 (Anthropic's range is 0 to 1).
 */
export function buildAnthropicRequest(request: ChatRequest, ctx: RequestContext): UpstreamRequest {
  checkSupported(request);
  checkConversation(request.messages);
  const { system, messages } = convertMessages(request.messages);
  const body: Record<string, unknown> = {
    model: ctx.deployment.model,
    max_tokens: completionCap(request, ctx.maxTokens),
    messages,
  };
  if (system.length > 0) body.system = system;
  if (ctx.stream) body.stream = true;
  if (request.temperature != null) body.temperature = request.temperature;
  if (request.top_p != null) body.top_p = request.top_p;
  const stop = stopSequences(request);
  if (stop.length > 0) body.stop_sequences = stop;
  if (request.tools && request.tools.length > 0) {
    body.tools = convertTools(request.tools);
    const choice = convertToolChoice(request);
    if (choice) body.tool_choice = choice;
  }
  if (request.user) body.metadata = { user_id: request.user };

  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'anthropic-version': anthropicVersion,
  };
  if (ctx.deployment.apiKey) headers['x-api-key'] = ctx.deployment.apiKey;
  return { url: `${ctx.deployment.baseUrl}/v1/messages`, headers, body: JSON.stringify(body) };
}

function checkSupported(request: ChatRequest): void {
  if (request.n != null && request.n > 1) {
    throw refuse('n', 'Anthropic models give one choice per request; n must be 1.');
  }
  refuseLogprobs(request, 'Anthropic');
  const format = request.response_format?.type;
  if (format === 'json_object' || format === 'json_schema') {
    throw refuse(
      'response_format',
      'Anthropic models have no JSON response format; describe the JSON in the prompt ' +
        'or use a tool.',
    );
  }
  if (request.temperature != null && request.temperature > 1) {
    throw refuse('temperature', 'Anthropic models take a temperature from 0 to 1.');
  }
  if (request.user && request.user.length > 256) {
    throw refuse('user', 'Anthropic takes a user id of at most 256 characters.');
  }
}
