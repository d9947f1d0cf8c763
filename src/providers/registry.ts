import type { ProviderName } from '../config/schema.js';
import { openAiAdapter } from './openai/index.js';
import type { ProviderAdapter } from './provider.js';
import { unavailableAdapter } from './unavailable.js';

/** The one place that knows which adapter speaks for which provider. */
export const providers: Record<ProviderName, ProviderAdapter> = {
  openai: openAiAdapter,
  anthropic: unavailableAdapter('anthropic'),
  google: unavailableAdapter('google'),
};
