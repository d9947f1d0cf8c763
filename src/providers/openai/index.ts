import type { ProviderAdapter } from '../provider.js';
import { buildOpenAiRequest } from './build-request.js';
import { mapOpenAiError } from './map-error.js';
import { parseOpenAiResponse } from './parse-response.js';
import { OpenAiStream } from './stream.js';

/** OpenAI and every OpenAI-compatible host (Groq, Together, OpenRouter, Ollama, vLLM, ...). */
export const openAiAdapter: ProviderAdapter = {
  buildRequest: buildOpenAiRequest,
  parseResponse: parseOpenAiResponse,
  createStream: (ctx) => new OpenAiStream(ctx),
  mapError: mapOpenAiError,
};
