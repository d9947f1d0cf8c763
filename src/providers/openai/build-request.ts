import type { ChatRequest } from '../../openai/chat-request.js';
import type { RequestContext, UpstreamRequest } from '../provider.js';

/**
 * The client's body, with the upstream model name, usage always asked for on streams, and the
 * reserved completion cap when the client set none. Unknown fields pass through.
 */
export function buildOpenAiRequest(request: ChatRequest, ctx: RequestContext): UpstreamRequest {
  const { deployment } = ctx;
  const body: Record<string, unknown> = { ...request, model: deployment.model };
  if (ctx.stream) {
    body.stream = true;
    body.stream_options = { ...request.stream_options, include_usage: true };
  } else {
    delete body.stream_options;
  }
  if (request.max_tokens == null && request.max_completion_tokens == null) {
    body.max_tokens = ctx.maxTokens;
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (deployment.apiKey) headers.authorization = `Bearer ${deployment.apiKey}`;
  return { url: `${deployment.baseUrl}/chat/completions`, headers, body: JSON.stringify(body) };
}
