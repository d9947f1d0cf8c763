import { beforeAll, describe, expect, it } from 'vitest';
import { mergeConfig } from '../../src/config/load-config.js';
import { readJsonFixture } from '../support/fixtures.js';
import { type ChatBody as Body, jpeg, requestProbe } from '../support/provider-requests.js';
import { anthropicValidator } from '../support/provider-specs.js';
import { useReplayGateway } from '../support/replay-gateway.js';
import { jsonReply } from '../support/replay-upstream.js';

/**
 * Golden tests of the Messages API bodies the gateway sends, one rule each, every body also
 * validated against Anthropic's published spec (../shared/fixtures/specs).
 */

type Json = Record<string, unknown>;

const model = 'anthropic/claude-3-haiku';
const reserved = mergeConfig({}).tiers.enterprise.defaultMaxTokens;
const validate = anthropicValidator();
const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').toString('base64');

const ctx = useReplayGateway((url) => ({ ANTHROPIC_BASE_URL: url, ANTHROPIC_API_KEY: 'k' }));
beforeAll(() => {
  ctx.upstream.handler = () => jsonReply(readJsonFixture('anthropic/vercel-text.json'));
});
const { sent, refused, streamed } = requestProbe(ctx, {
  model,
  validate,
  what: 'Messages request',
});

const user = { role: 'user' as const, content: 'Hi' };

describe('Anthropic request translation', () => {
  it('sends a plain request with the reserved cap as max_tokens', async () => {
    expect(await sent({ messages: [user] })).toEqual({
      model: 'claude-3-haiku-20240307',
      max_tokens: reserved,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    });
  });

  it('keeps every system and developer message, in order, as system blocks', async () => {
    const body = await sent({
      messages: [
        { role: 'system', content: 'One.' },
        { role: 'developer', content: [{ type: 'text', text: 'Two.' }] },
        user,
        { role: 'system', content: 'Three.' },
      ],
    });
    expect(body.system).toEqual([
      { type: 'text', text: 'One.' },
      { type: 'text', text: 'Two.' },
      { type: 'text', text: 'Three.' },
    ]);
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
  });

  it('merges consecutive turns of one role and sends a last assistant message as is', async () => {
    const body = await sent({
      messages: [
        user,
        {
          role: 'user',
          content: [
            { type: 'text', text: '' },
            { type: 'text', text: 'Again' },
          ],
        },
        { role: 'assistant', content: 'The answer is ' },
      ],
    });
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Hi' },
          { type: 'text', text: 'Again' },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'The answer is ' }] },
    ]);
  });

  it('sends two parallel tool calls (one with arguments "") and their results', async () => {
    const body = await sent({
      messages: [
        user,
        {
          role: 'assistant',
          content: '',
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'weather', arguments: '{"city":"Paris"}' },
            },
            { id: 'call_2', type: 'function', function: { name: 'time', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'Sunny' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '12:00' }] },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        },
        { type: 'function', function: { name: 'time', description: 'Now' } },
      ],
      tool_choice: 'required',
      parallel_tool_calls: false,
    });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'time', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: 'Sunny' },
          { type: 'tool_result', tool_use_id: 'call_2', content: '12:00' },
        ],
      },
    ]);
    expect(body.tools).toEqual([
      {
        name: 'weather',
        input_schema: { type: 'object', properties: { city: { type: 'string' } } },
      },
      { name: 'time', description: 'Now', input_schema: { type: 'object', properties: {} } },
    ]);
    expect(body.tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true });
  });

  it.each([
    ['none', { type: 'none' }],
    ['auto', { type: 'auto' }],
    [
      { type: 'function', function: { name: 'f' } },
      { type: 'tool', name: 'f' },
    ],
  ] as const)('maps tool_choice %j', async (choice, expected) => {
    const body = await sent({
      messages: [user],
      tools: [{ type: 'function', function: { name: 'f' } }],
      tool_choice: choice as NonNullable<Body['tool_choice']>,
    });
    expect(body.tool_choice).toEqual(expected);
  });

  it('sends no stop sequences for stop: [] and a list for a string', async () => {
    expect(await sent({ messages: [user], stop: [] })).not.toHaveProperty('stop_sequences');
    expect((await sent({ messages: [user], stop: 'END' })).stop_sequences).toEqual(['END']);
  });

  it('takes the image type from the bytes and passes https URLs', async () => {
    const body = await sent({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${jpeg}` } },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          ],
        },
      ],
    });
    expect((body.messages as Json[])[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: jpeg } },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
        { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
      ],
    });
  });

  it('sends max_completion_tokens over max_tokens, temperature, top_p and user', async () => {
    const body = await sent({
      messages: [user],
      max_tokens: 10,
      max_completion_tokens: 20,
      temperature: 0.5,
      top_p: 0.9,
      user: 'user-42',
      seed: 7,
      frequency_penalty: 1,
    });
    expect(body).toMatchObject({ max_tokens: 20, temperature: 0.5, top_p: 0.9 });
    expect(body.metadata).toEqual({ user_id: 'user-42' });
    expect(body).not.toHaveProperty('seed');
    expect(body).not.toHaveProperty('frequency_penalty');
    expect((await sent({ messages: [user], max_tokens: 10 })).max_tokens).toBe(10);
  });

  it('refuses an unsupported image type, naming the part', async () => {
    const bmp = Buffer.from('BM\0\0\0\0').toString('base64');
    const error = await refused({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look' },
            { type: 'image_url', image_url: { url: `data:image/bmp;base64,${bmp}` } },
          ],
        },
      ],
    });
    expect(error.param).toBe('messages[0].content[1]');
  });

  it.each([
    ['n', { n: 2 }],
    ['response_format', { response_format: { type: 'json_object' } }],
    ['temperature', { temperature: 1.5 }],
    ['logprobs', { logprobs: true }],
  ] as const)('refuses %s it cannot honour', async (param, extra) => {
    const error = await refused({ messages: [user], ...(extra as Partial<Body>) });
    expect(error.param).toBe(param);
  });

  it('refuses tool call arguments that are not a JSON object', async () => {
    const error = await refused({
      messages: [
        user,
        {
          role: 'assistant',
          tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '[1]' } }],
        },
        { role: 'tool', tool_call_id: 'c', content: 'x' },
      ],
    });
    expect(error.param).toBe('messages[1].tool_calls[0].function.arguments');
  });

  it('asks for a stream when the client streams', async () => {
    const body = (await streamed({ messages: [user] })).json as Json;
    expect(body.stream).toBe(true);
    expect(validate(body)).toBe(true);
  });
});
