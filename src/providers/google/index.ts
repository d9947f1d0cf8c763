import type { ProviderAdapter } from '../provider.js';
import { buildGeminiRequest } from './build-request.js';
import { GeminiStreamDecoder } from './json-array-decoder.js';
import { mapGeminiError } from './map-error.js';
import { parseGeminiResponse } from './parse-response.js';
import { GeminiStream } from './stream.js';

/** Google's Gemini API (generateContent). https://ai.google.dev/api/generate-content */
export const googleAdapter: ProviderAdapter = {
  buildRequest: buildGeminiRequest,
  parseResponse: parseGeminiResponse,
  createStream: (ctx) => new GeminiStream(ctx),
  mapError: mapGeminiError,
  createDecoder: () => new GeminiStreamDecoder(),
};
