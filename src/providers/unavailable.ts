import { GatewayError } from '../errors.js';
import type { ProviderAdapter } from './provider.js';

// TODO: the Anthropic and Gemini adapters replace these (issue: Anthropic and Gemini providers).
export function unavailableAdapter(name: string): ProviderAdapter {
  const fail = (): never => {
    throw new GatewayError(
      'provider_not_configured',
      `Models of the ${name} provider are not available on this gateway yet.`,
    );
  };
  return { buildRequest: fail, parseResponse: fail, createStream: fail, mapError: fail };
}
