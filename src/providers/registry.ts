import type { ProviderName } from '../config/schema.js';
import { anthropicAdapter } from './anthropic/index.js';
import { googleAdapter } from './google/index.js';
import { openAiAdapter } from './openai/index.js';
import type { ProviderAdapter } from './provider.js';

/** The one place that knows which adapter speaks for which provider. */
export const providers: Record<ProviderName, ProviderAdapter> = {
  openai: openAiAdapter,
  anthropic: anthropicAdapter,
  google: googleAdapter,
};
