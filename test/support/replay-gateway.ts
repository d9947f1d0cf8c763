import type OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { TierName } from '../../src/config/schema.js';
import { TestGateway, type TestGatewayOptions } from './gateway.js';
import { ReplayUpstream } from './replay-upstream.js';

/** A replay upstream, a gateway pointed at it, and one account's key and SDK client. */
export interface ReplayGateway {
  upstream: ReplayUpstream;
  gw: TestGateway;
  key: string;
  accountId: string;
  client: OpenAI;
}

export interface ReplayGatewayOptions extends Omit<TestGatewayOptions, 'env'> {
  tier?: TierName;
}

/**
 * Registers the hooks of a test file that replays recordings: starts both servers before the
 * tests, forgets the upstream's requests before each, stops both after. `env` names the
 * provider variables from the upstream's URL. The fields are filled in by `beforeAll`.
 */
export function useReplayGateway(
  env: (upstreamUrl: string) => Record<string, string>,
  options: ReplayGatewayOptions = {},
): ReplayGateway {
  const context = {} as ReplayGateway;
  beforeAll(async () => {
    const { tier = 'enterprise', ...gatewayOptions } = options;
    context.upstream = await new ReplayUpstream().start();
    context.gw = await TestGateway.start({ ...gatewayOptions, env: env(context.upstream.url) });
    const account = await context.gw.account(tier);
    context.key = account.key;
    context.accountId = account.accountId;
    context.client = context.gw.client(account.key);
  });
  afterAll(async () => {
    await context.gw?.stop();
    await context.upstream?.stop();
  });
  beforeEach(() => {
    if (context.upstream) context.upstream.requests.length = 0;
  });
  return context;
}
