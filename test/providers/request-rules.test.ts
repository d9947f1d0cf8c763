import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { ChatBody } from '../support/provider-requests.js';
import { useReplayGateway } from '../support/replay-gateway.js';

/**
 * The request rules every non-OpenAI adapter shares (src/providers/shared/request-rules.ts):
 * the same request is refused the same way, with a 400 naming the parameter, before any call.
 */
const ctx = useReplayGateway((url) => ({
  ANTHROPIC_BASE_URL: url,
  ANTHROPIC_API_KEY: 'k',
  GEMINI_BASE_URL: url,
  GEMINI_API_KEY: 'k',
}));

const cases: Array<[string, Omit<ChatBody, 'model'>, string]> = [
  [
    'a request that is only a system message',
    { messages: [{ role: 'system', content: 'Be brief.' }] },
    'messages',
  ],
  ...['', '  \n'].map((content): [string, Omit<ChatBody, 'model'>, string] => [
    `a request whose only user message is ${JSON.stringify(content)}`,
    {
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content },
      ],
    },
    'messages',
  ]),
  [
    'a request whose only user message is a blank text part',
    { messages: [{ role: 'user', content: [{ type: 'text', text: ' ' }] }] },
    'messages',
  ],
  [
    'a tool message that answers no earlier call',
    {
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'tool', tool_call_id: 'call_nope', content: 'sunny' },
      ],
    },
    'messages[1].tool_call_id',
  ],
];

for (const model of ['anthropic/claude-3-haiku', 'google/gemini-pro']) {
  describe(`${model} refuses, before any upstream call`, () => {
    for (const [name, body, param] of cases) {
      it(name, async () => {
        const error = await ctx.client.chat.completions
          .create({ model, ...body } as ChatBody)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OpenAI.BadRequestError);
        expect((error as InstanceType<typeof OpenAI.APIError>).param).toBe(param);
        expect(ctx.upstream.requests).toHaveLength(0);
      });
    }
  });
}
