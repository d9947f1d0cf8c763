import type { GatewayConfig } from './schema.js';

/** Tier limits from the API docs. */
export const defaultTiers: GatewayConfig['tiers'] = {
  free: {
    requestsPerMinute: 60,
    requestsPerDay: 100,
    tokensPerDay: 10_000,
    defaultMaxTokens: 1024,
  },
  premium: {
    requestsPerMinute: 300,
    requestsPerDay: 1_000,
    tokensPerDay: 100_000,
    defaultMaxTokens: 4096,
  },
  enterprise: {
    requestsPerMinute: 1_000,
    requestsPerDay: 10_000,
    tokensPerDay: 1_000_000,
    defaultMaxTokens: 4096,
  },
};

/** Upstream hosts, with base URLs and credentials in the names the providers' SDKs use. */
export const defaultHosts: GatewayConfig['hosts'] = {
  openai: {
    provider: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    baseUrlEnv: 'OPENAI_BASE_URL',
    apiKeyEnv: 'OPENAI_API_KEY',
  },
  groq: {
    provider: 'openai',
    baseUrl: 'https://api.groq.com/openai/v1',
    baseUrlEnv: 'GROQ_BASE_URL',
    apiKeyEnv: 'GROQ_API_KEY',
  },
  anthropic: {
    provider: 'anthropic',
    baseUrl: 'https://api.anthropic.com',
    baseUrlEnv: 'ANTHROPIC_BASE_URL',
    apiKeyEnv: 'ANTHROPIC_API_KEY',
  },
  google: {
    provider: 'google',
    baseUrl: 'https://generativelanguage.googleapis.com',
    baseUrlEnv: 'GEMINI_BASE_URL',
    apiKeyEnv: 'GEMINI_API_KEY',
  },
};

/** The nine models of the API docs, each with the lowest tier that may call it. */
export const defaultModels: GatewayConfig['models'] = [
  model('openai/gpt-3.5-turbo', 'free', 'openai', 'gpt-3.5-turbo'),
  model('anthropic/claude-3-haiku', 'free', 'anthropic', 'claude-3-haiku-20240307'),
  model('meta-llama/llama-3.1-8b-instruct', 'free', 'groq', 'llama-3.1-8b-instant'),
  model('openai/gpt-4', 'premium', 'openai', 'gpt-4'),
  model('anthropic/claude-3-sonnet', 'premium', 'anthropic', 'claude-3-sonnet-20240229'),
  model('openai/gpt-4-turbo', 'premium', 'openai', 'gpt-4-turbo'),
  model('anthropic/claude-3-opus', 'enterprise', 'anthropic', 'claude-3-opus-20240229'),
  model('openai/gpt-4-vision-preview', 'enterprise', 'openai', 'gpt-4-vision-preview'),
  model('google/gemini-pro', 'enterprise', 'google', 'gemini-pro'),
];

/** Big enough for a few base64 images. */
export const defaultMaxBodyBytes = 25 * 1024 * 1024;

function model(
  id: string,
  tier: GatewayConfig['models'][number]['tier'],
  host: string,
  upstream: string,
): GatewayConfig['models'][number] {
  const alias = id.slice(id.indexOf('/') + 1);
  return { id, tier, aliases: [alias], deployments: [{ host, model: upstream }] };
}
