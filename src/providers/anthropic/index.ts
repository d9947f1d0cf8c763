import type { ProviderAdapter } from '../provider.js';
import { buildAnthropicRequest } from './build-request.js';
import { mapAnthropicError } from './map-error.js';
import { parseAnthropicResponse } from './parse-response.js';
import { AnthropicStream } from './stream.js';

/** Anthropic's Messages API. https://docs.anthropic.com/en/api/messages */
export const anthropicAdapter: ProviderAdapter = {
  buildRequest: buildAnthropicRequest,
  parseResponse: parseAnthropicResponse,
  createStream: (ctx) => new AnthropicStream(ctx),
  mapError: mapAnthropicError,
};
