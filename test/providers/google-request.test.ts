import { beforeAll, describe, expect, it } from 'vitest';
import { mergeConfig } from '../../src/config/load-config.js';
import { readJsonFixture } from '../support/fixtures.js';
import { jpeg, requestProbe } from '../support/provider-requests.js';
import { geminiValidator } from '../support/provider-specs.js';
import { useReplayGateway } from '../support/replay-gateway.js';
import { jsonReply } from '../support/replay-upstream.js';

/**
 * Golden tests of the generateContent bodies the gateway sends, one rule each, every body also
 * validated against Google's published spec (../shared/fixtures/specs, OpenAPI 3.0 converted).
 */

type Json = Record<string, unknown>;

const reserved = mergeConfig({}).tiers.enterprise.defaultMaxTokens;
const validate = geminiValidator();

const ctx = useReplayGateway((url) => ({ GEMINI_BASE_URL: url, GEMINI_API_KEY: 'k' }), {
  config: {
    models: [
      {
        id: 'google/gemini-2.5-flash',
        tier: 'free',
        deployments: [{ host: 'google', model: 'gemini-2.5-flash' }],
      },
      {
        id: 'google/gemini-3-pro',
        tier: 'free',
        deployments: [{ host: 'google', model: 'gemini-3-pro-preview' }],
      },
    ],
  },
});
beforeAll(() => {
  ctx.upstream.handler = () => jsonReply(readJsonFixture('gemini/vercel-text.json'));
});
const { sent, refused, streamed } = requestProbe(ctx, {
  model: 'google/gemini-2.5-flash',
  validate,
  what: 'Gemini request',
});

const user = { role: 'user' as const, content: 'Hi' };

describe('Gemini request translation', () => {
  it('sends a plain request with the reserved cap as maxOutputTokens', async () => {
    expect(await sent({ messages: [user] })).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      generationConfig: { maxOutputTokens: reserved },
    });
    expect(ctx.upstream.last.url).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
  });

  it('keeps every system and developer message, in order, as systemInstruction', async () => {
    const body = await sent({
      messages: [
        { role: 'system', content: 'One.' },
        { role: 'developer', content: 'Two.' },
        user,
        { role: 'system', content: 'Three.' },
      ],
    });
    expect(body.systemInstruction).toEqual({
      parts: [{ text: 'One.' }, { text: 'Two.' }, { text: 'Three.' }],
    });
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'Hi' }] }]);
  });

  it('folds system messages into the first user turn for Gemini 1.0 (gemini-pro)', async () => {
    const body = await sent(
      { messages: [{ role: 'system', content: 'Be brief.' }, user] },
      'google/gemini-pro',
    );
    expect(body).not.toHaveProperty('systemInstruction');
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Be brief.' }, { text: 'Hi' }] },
    ]);
  });

  it('sends parallel function calls (one with arguments ""), their responses and a prefill', async () => {
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
        { role: 'tool', tool_call_id: 'call_1', content: '{"sky":"sunny"}' },
        { role: 'tool', tool_call_id: 'call_2', content: '12:00' },
        { role: 'assistant', content: 'So ' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'weather',
            parameters: {
              $schema: 'http://json-schema.org/draft-07/schema#',
              type: 'object',
              additionalProperties: false,
              properties: {
                city: { type: 'string', format: 'uri' },
                unit: { type: ['string', 'null'], enum: ['c', 'f', null] },
                day: { $ref: '#/$defs/day' },
              },
              required: ['city'],
              $defs: { day: { const: 'today' } },
            },
          },
        },
        {
          type: 'function',
          function: { name: 'time', parameters: { type: 'object', properties: {} } },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'weather' } },
    });
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Hi' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'weather', args: { city: 'Paris' } } },
          { functionCall: { name: 'time', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'weather', response: { sky: 'sunny' } } },
          { functionResponse: { name: 'time', response: { result: '12:00' } } },
        ],
      },
      { role: 'model', parts: [{ text: 'So ' }] },
    ]);
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'weather',
            description: '',
            parameters: {
              type: 'OBJECT',
              required: ['city'],
              properties: {
                city: { type: 'STRING' },
                unit: { type: 'STRING', nullable: true, enum: ['c', 'f'] },
                day: { enum: ['today'], type: 'STRING' },
              },
            },
          },
          { name: 'time', description: '' },
        ],
      },
    ]);
    expect(body.toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['weather'] },
    });
  });

  it('gives Gemini 3 history calls the documented placeholder thought signature', async () => {
    const body = await sent(
      {
        messages: [
          user,
          {
            role: 'assistant',
            tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
          { role: 'tool', tool_call_id: 'c', content: 'ok' },
        ],
      },
      'google/gemini-3-pro',
    );
    expect((body.contents as Json[])[1]).toEqual({
      role: 'model',
      parts: [
        {
          functionCall: { name: 'f', args: {} },
          thoughtSignature: 'skip_thought_signature_validator',
        },
      ],
    });
  });

  it.each([
    ['none', 'NONE'],
    ['auto', 'AUTO'],
    ['required', 'ANY'],
  ] as const)('maps tool_choice %s', async (choice, mode) => {
    const body = await sent({
      messages: [user],
      tools: [{ type: 'function', function: { name: 'f' } }],
      tool_choice: choice,
    });
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode } });
  });

  it('maps stop, n, sampling parameters and max_completion_tokens', async () => {
    const body = await sent({
      messages: [user],
      stop: ['END', ''],
      n: 2,
      temperature: 1.5,
      top_p: 0.5,
      max_tokens: 10,
      max_completion_tokens: 30,
      presence_penalty: 0.5,
      seed: 3,
      user: 'dropped',
    });
    expect(body.generationConfig).toEqual({
      maxOutputTokens: 30,
      temperature: 1.5,
      topP: 0.5,
      stopSequences: ['END'],
      candidateCount: 2,
      presencePenalty: 0.5,
      seed: 3,
    });
    expect((await sent({ messages: [user], stop: [] })).generationConfig).toEqual({
      maxOutputTokens: reserved,
    });
  });

  it('maps response_format json_object and json_schema', async () => {
    const asObject = await sent({ messages: [user], response_format: { type: 'json_object' } });
    expect(asObject.generationConfig).toMatchObject({ responseMimeType: 'application/json' });
    const schema = {
      type: 'object',
      properties: { a: { type: 'integer' } },
      additionalProperties: false,
    };
    const asSchema = await sent({
      messages: [user],
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema, strict: true } },
    });
    expect(asSchema.generationConfig).toMatchObject({
      responseMimeType: 'application/json',
      responseSchema: { type: 'OBJECT', properties: { a: { type: 'INTEGER' } } },
    });
  });

  it('takes the image type from the bytes and passes https URLs as fileData', async () => {
    const body = await sent({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: `data:image/png;base64,${jpeg}` } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
            { type: 'text', text: '' },
          ],
        },
      ],
    });
    expect(body.contents).toEqual([
      {
        role: 'user',
        parts: [
          { inlineData: { mimeType: 'image/jpeg', data: jpeg } },
          { fileData: { fileUri: 'https://example.com/cat.png', mimeType: 'image/png' } },
        ],
      },
    ]);
  });

  it('streams with alt=sse', async () => {
    expect((await streamed({ messages: [user] })).url).toBe(
      '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    );
  });

  it('refuses a gif, naming the part', async () => {
    const gif = Buffer.from('GIF89a\x01\0\x01\0', 'latin1').toString('base64');
    const error = await refused({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look' },
            { type: 'image_url', image_url: { url: `data:image/gif;base64,${gif}` } },
          ],
        },
      ],
    });
    expect(error.param).toBe('messages[0].content[1]');
  });

  it('refuses n above 8 and logprobs', async () => {
    expect((await refused({ messages: [user], n: 9 })).param).toBe('n');
    expect((await refused({ messages: [user], logprobs: true })).param).toBe('logprobs');
  });

  it('refuses a tool message that answers no call', async () => {
    const error = await refused({
      messages: [user, { role: 'tool', tool_call_id: 'nope', content: 'x' }],
    });
    expect(error.param).toBe('messages[1].tool_call_id');
  });
});
