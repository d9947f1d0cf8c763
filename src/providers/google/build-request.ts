import type { ChatRequest } from '../../openai/chat-request.js';
import type { RequestContext, UpstreamRequest } from '../provider.js';
import {
  checkConversation,
  completionCap,
  refuse,
  refuseLogprobs,
  stopSequences,
} from '../shared/request-rules.js';
import { toGeminiSchema } from './convert-schema.js';
import { convertContents } from './convert-messages.js';
import { convertToolConfig, convertTools } from './convert-tools.js';

/** Gemini returns at most 8 candidates. */
// https://ai.google.dev/api/generate-content#generationconfig
const maxCandidates = 8;

/**
 * An OpenAI chat request as a generateContent (or streamGenerateContent with alt=sse) call.
 * Dropped, by the rule in ../shared/request-rules.ts: user, logit_bias, parallel_tool_calls,
 * stream_options. Refused: n above 8 and logprobs.
 * https://ai.google.dev/api/generate-content
 */
export function buildGeminiRequest(request: ChatRequest, ctx: RequestContext): UpstreamRequest {
  checkSupported(request);
  checkConversation(request.messages);
  const model = ctx.deployment.model.replace(/^models\//, '');
  const body: Record<string, unknown> = { ...convertContents(request.messages, model) };
  if (request.tools && request.tools.length > 0) {
    body.tools = convertTools(request.tools);
    const toolConfig = convertToolConfig(request.tool_choice);
    if (toolConfig) body.toolConfig = toolConfig;
  }
  body.generationConfig = generationConfig(request, ctx.maxTokens);

  const method = ctx.stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (ctx.deployment.apiKey) headers['x-goog-api-key'] = ctx.deployment.apiKey;
  return {
    url: `${ctx.deployment.baseUrl}/v1beta/models/${encodeURIComponent(model)}:${method}`,
    headers,
    body: JSON.stringify(body),
  };
}

function generationConfig(request: ChatRequest, reserved: number): Record<string, unknown> {
  const config: Record<string, unknown> = { maxOutputTokens: completionCap(request, reserved) };
  if (request.temperature != null) config.temperature = request.temperature;
  if (request.top_p != null) config.topP = request.top_p;
  const stop = stopSequences(request);
  if (stop.length > 0) config.stopSequences = stop;
  if (request.n != null && request.n > 1) config.candidateCount = request.n;
  if (request.presence_penalty != null) config.presencePenalty = request.presence_penalty;
  if (request.frequency_penalty != null) config.frequencyPenalty = request.frequency_penalty;
  if (request.seed != null) config.seed = request.seed;
  const format = request.response_format;
  if (format?.type === 'json_object') config.responseMimeType = 'application/json';
  if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    const schema = format.json_schema.schema;
    if (schema) config.responseSchema = toGeminiSchema(schema);
  }
  return config;
}

function checkSupported(request: ChatRequest): void {
  if (request.n != null && request.n > maxCandidates) {
    throw refuse('n', `Gemini models give at most ${maxCandidates} choices per request.`);
  }
  refuseLogprobs(request, 'Gemini');
}
