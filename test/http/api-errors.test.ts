import { Writable } from 'node:stream';
import OpenAI from 'openai';
import { request } from 'undici';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { revokeKey } from '../../src/accounts/api-keys.js';
import { createLogger } from '../../src/logger.js';
import { readFixture } from '../support/fixtures.js';
import { useReplayGateway } from '../support/replay-gateway.js';
import { jsonReply } from '../support/replay-upstream.js';

const logLines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    logLines.push(chunk.toString());
    done();
  },
});

const completion = JSON.parse(
  readFixture('openai/llm-nonstream-tool-call-3.json').toString(),
) as object;

const ctx = useReplayGateway(
  (url) => ({
    OPENAI_BASE_URL: `${url}/v1`,
    OPENAI_API_KEY: 'sk-upstream-secret-credential',
    GROQ_BASE_URL: 'http://127.0.0.1:9/v1',
    GROQ_API_KEY: 'gsk-x',
  }),
  {
    config: { maxBodyBytes: 64 * 1024, hosts: { openai: { timeoutMs: 1_000 } } },
    logger: createLogger('info', sink),
  },
);
let freeKey: string;

beforeAll(async () => {
  freeKey = (await ctx.gw.account('free')).key;
});
beforeEach(() => {
  ctx.upstream.handler = () => jsonReply(completion);
});

const ask = (apiKey: string, body: Record<string, unknown> = {}) =>
  ctx.gw.client(apiKey).chat.completions.create({
    model: 'openai/gpt-4',
    messages: [{ role: 'user', content: 'hi' }],
    ...body,
  } as OpenAI.ChatCompletionCreateParamsNonStreaming);

async function rejection(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
}

async function raw(body: string | Buffer, headers: Record<string, string>) {
  const res = await request(`${ctx.gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.key}`, ...headers },
    body,
  });
  return {
    status: res.statusCode,
    json: (await res.body.json()) as { error: Record<string, unknown> },
  };
}

describe('400 invalid_request_error names the parameter', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['temperature above 2', { temperature: 2.5 }, 'temperature'],
    ['top_p above 1', { top_p: 1.5 }, 'top_p'],
    ['frequency_penalty below -2', { frequency_penalty: -3 }, 'frequency_penalty'],
    ['presence_penalty as a string', { presence_penalty: 'high' }, 'presence_penalty'],
    ['max_tokens of 0', { max_tokens: 0 }, 'max_tokens'],
    ['five stop sequences', { stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop'],
    ['n as a float', { n: 1.5 }, 'n'],
    ['an unknown role', { messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
    [
      'a tool message without tool_call_id',
      { messages: [{ role: 'tool', content: 'x' }] },
      'messages[0].tool_call_id',
    ],
    [
      'an unknown content part',
      { messages: [{ role: 'user', content: [{ type: 'video', url: 'x' }] }] },
      'messages[0].content[0].type',
    ],
    ['empty messages', { messages: [] }, 'messages'],
    ['a bad tool_choice', { tool_choice: 'sometimes' }, 'tool_choice'],
    ['a bad response_format', { response_format: { type: 'yaml' } }, 'response_format.type'],
    ['stream as a string', { stream: 'yes' }, 'stream'],
  ];
  for (const [name, body, param] of cases) {
    it(name, async () => {
      const error = await rejection(ask(ctx.key, body));
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.type).toBe('invalid_request_error');
      expect(error.param).toBe(param);
      expect(ctx.upstream.requests).toHaveLength(0);
    });
  }

  it('a wrong type says so, and a missing field says it is missing', async () => {
    const wrong = await rejection(ask(ctx.key, { temperature: '1' }));
    expect(wrong.message).toContain("Invalid type for 'temperature': expected number.");
    const nested = await rejection(ask(ctx.key, { messages: [{ role: 'user' }] }));
    expect(nested.param).toBe('messages[0].content');
    expect(nested.message).toContain("Missing required parameter: 'messages[0].content'.");
  });

  it('missing model', async () => {
    const error = await rejection(ask(ctx.key, { model: undefined }));
    expect(error.status).toBe(400);
    expect(error.param).toBe('model');
  });

  it('unknown fields pass through to the provider', async () => {
    await ask(ctx.key, { reasoning_effort: 'low', metadata: { a: 'b' } });
    expect(ctx.upstream.last.json).toMatchObject({ reasoning_effort: 'low', metadata: { a: 'b' } });
  });

  it('malformed JSON, a wrong content type and an empty body never reach the upstream', async () => {
    const broken = await raw('{"model":', { 'content-type': 'application/json' });
    expect(broken.status).toBe(400);
    expect(broken.json.error.type).toBe('invalid_request_error');
    const text = await raw('{"model":"gpt-4"}', { 'content-type': 'text/plain' });
    expect(text.status).toBe(400);
    const empty = await raw('', { 'content-type': 'application/json' });
    expect(empty.status).toBe(400);
    const array = await raw('[1,2]', { 'content-type': 'application/json' });
    expect(array.status).toBe(400);
    expect(ctx.upstream.requests).toHaveLength(0);
  });
});

describe('401 invalid_api_key', () => {
  it('missing, unknown and revoked keys', async () => {
    const missing = await request(`${ctx.gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(missing.statusCode).toBe(401);
    expect(await missing.body.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'invalid_api_key', param: null },
    });

    const wrongScheme = await rejection(
      new OpenAI({ apiKey: 'not-ours', baseURL: `${ctx.gw.url}/v1`, maxRetries: 0 }).models.list(),
    );
    expect(wrongScheme).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(wrongScheme.code).toBe('invalid_api_key');

    const unknown = await rejection(ask('sk-jasys-not-a-real-key'));
    expect(unknown).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(unknown.message).not.toContain('sk-jasys-not-a-real-key');

    const account = await ctx.gw.account('premium');
    await ask(account.key);
    const [row] = await ctx.gw.gateway.db
      .selectFrom('api_keys')
      .select('id')
      .where('account_id', '=', account.accountId)
      .execute();
    await revokeKey(ctx.gw.gateway.db, row!.id);
    ctx.gw.gateway.auth.forget();
    const revoked = await rejection(ask(account.key));
    expect(revoked).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(ctx.upstream.requests).toHaveLength(1);
  });
});

describe('403, 404 and 413', () => {
  it('a model above the tier is 403 permission_denied naming the tier', async () => {
    const error = await rejection(ask(freeKey, { model: 'openai/gpt-4' }));
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(error.type).toBe('permission_denied');
    expect(error.message).toContain('premium');
  });

  it('an unknown model is 404 model_not_found', async () => {
    const error = await rejection(ask(ctx.key, { model: 'openai/gpt-99' }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.code).toBe('model_not_found');
  });

  it('a body over the limit is 413', async () => {
    const big = 'x'.repeat(70 * 1024);
    const error = await rejection(ask(ctx.key, { messages: [{ role: 'user', content: big }] }));
    expect(error.status).toBe(413);
    expect(ctx.upstream.requests).toHaveLength(0);
  });
});

describe('upstream failures are mapped, never passed raw', () => {
  it('400 and 404 become 400 with the upstream message', async () => {
    const body = readFixture('openai/pai-error-400-unsupported-value.json').toString();
    ctx.upstream.handler = () => jsonReply(body, 400);
    const error = await rejection(ask(ctx.key));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.message).toContain(
      (JSON.parse(body) as { error: { message: string } }).error.message,
    );

    ctx.upstream.handler = () =>
      jsonReply(readFixture('groq/pai-error-404-model-not-found.json').toString(), 404);
    expect(await rejection(ask(ctx.key))).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('401 from the upstream is a 500 that reveals nothing', async () => {
    ctx.upstream.handler = () =>
      jsonReply(readFixture('openai/errors-transcribed/401-invalid-api-key.json').toString(), 401);
    const error = await rejection(ask(ctx.key));
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.type).toBe('api_error');
    expect(error.message).not.toMatch(/sk-|Incorrect API key/);
  });

  it('429 becomes 503 with retry-after', async () => {
    ctx.upstream.handler = () =>
      jsonReply(
        readFixture('openai/errors-transcribed/429-rate-limit-tokens.json').toString(),
        429,
        {
          'retry-after': '7',
        },
      );
    const error = await rejection(ask(ctx.key));
    expect(error.status).toBe(503);
    expect(error.type).toBe('service_unavailable');
    expect(error.headers?.get('retry-after')).toBe('7');
  });

  it('an HTML 502 page becomes a JSON 503', async () => {
    ctx.upstream.handler = () => ({
      status: 502,
      headers: { 'content-type': 'text/html' },
      body: '<html>Bad gateway</html>',
    });
    const error = await rejection(ask(ctx.key));
    expect(error.status).toBe(503);
    expect(error.message).not.toContain('<html>');
  });

  it('a timeout and a refused connection become 503', async () => {
    ctx.upstream.handler = () => new Promise(() => {});
    const timedOut = await rejection(ask(ctx.key));
    expect(timedOut.status).toBe(503);
    const refused = await rejection(ask(ctx.key, { model: 'meta-llama/llama-3.1-8b-instruct' }));
    expect(refused.status).toBe(503);
  });

  it('a model whose credential is not set is 503 naming the variable', async () => {
    const error = await rejection(ask(ctx.key, { model: 'google/gemini-pro' }));
    expect(error.status).toBe(503);
    expect(error.message).toContain('GEMINI_API_KEY');
  });

  it("the client's Authorization never reaches the upstream", async () => {
    await ask(ctx.key);
    expect(ctx.upstream.last.headers.authorization).toBe('Bearer sk-upstream-secret-credential');
    expect(JSON.stringify(ctx.upstream.last.headers)).not.toContain(ctx.key);
  });
});

describe('/v1/models and /health', () => {
  it('lists only what the tier may call, and retrieves ids with a slash', async () => {
    const free = await ctx.gw.client(freeKey).models.list();
    expect(free.data.map((m) => m.id).sort()).toEqual([
      'anthropic/claude-3-haiku',
      'meta-llama/llama-3.1-8b-instruct',
      'openai/gpt-3.5-turbo',
    ]);
    const all = await ctx.client.models.list();
    expect(all.data).toHaveLength(9);
    const one = await ctx.client.models.retrieve('anthropic/claude-3-opus');
    expect(one).toMatchObject({
      id: 'anthropic/claude-3-opus',
      object: 'model',
      owned_by: 'anthropic',
    });
    expect(await rejection(ctx.client.models.retrieve('nope/nothing'))).toBeInstanceOf(
      OpenAI.NotFoundError,
    );
    const malformed = await request(`${ctx.gw.url}/v1/models/openai%E0%A4%A`, {
      headers: { authorization: `Bearer ${ctx.key}` },
    });
    expect(malformed.statusCode).toBe(404);
    expect(((await malformed.body.json()) as { error: { code: string } }).error.code).toBe(
      'model_not_found',
    );
  });

  it('/health answers GET only', async () => {
    const res = await request(`${ctx.gw.url}/health`, { method: 'POST' });
    expect(res.statusCode).toBe(405);
    expect(((await res.body.json()) as { error: { type: string } }).error.type).toBe(
      'invalid_request_error',
    );
  });

  it('/health needs no key', async () => {
    const res = await request(`${ctx.gw.url}/health`);
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ status: 'ok' });
  });

  it('an unknown route is a JSON 404', async () => {
    const res = await request(`${ctx.gw.url}/v2/nothing`);
    expect(res.statusCode).toBe(404);
    expect(((await res.body.json()) as { error: { type: string } }).error.type).toBe(
      'invalid_request_error',
    );
  });
});

describe('secrets', () => {
  it('no key or upstream credential appears in any log line', () => {
    const log = logLines.join('');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(ctx.key);
    expect(log).not.toContain(freeKey);
    expect(log).not.toContain('sk-upstream-secret-credential');
  });
});
