import OpenAI from 'openai';
import { expect } from 'vitest';
import { assemble, type Assembled } from './provider-fixtures.js';
import type { ReplayGateway } from './replay-gateway.js';
import type { Reply } from './replay-upstream.js';

/** Checks shared by the tests that replay a provider's recorded answers to the SDK. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any SDK error class
export type ErrorClass = abstract new (...args: any[]) => InstanceType<typeof OpenAI.APIError>;

/** What a recording should reach the client as, for choice 0. */
export interface ExpectedAnswer {
  content: string | null;
  finish: string;
  prompt: number;
  completion: number;
}

export const hi = [{ role: 'user' as const, content: 'hi' }];

/** Checks the model, text and finish reason of a completion; returns its first choice. */
export function expectCompletion(
  answer: OpenAI.ChatCompletion,
  model: string,
  want: ExpectedAnswer,
): OpenAI.ChatCompletion.Choice {
  const choice = answer.choices[0]!;
  expect(answer.model).toBe(model);
  expect(choice.message.content).toBe(want.content);
  expect(choice.finish_reason).toBe(want.finish);
  return choice;
}

/** Assembles a stream and checks it holds one assistant choice with the text and finish reason. */
export async function expectStreamedChoice(
  stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>,
  want: ExpectedAnswer,
): Promise<{ choice: Assembled; usage: OpenAI.CompletionUsage | undefined }> {
  const { choices, usage } = await assemble(stream);
  const choice = choices.get(0)!;
  expect([...choices.keys()]).toEqual([0]);
  expect(choice.role).toBe('assistant');
  expect(choice.content || null).toBe(want.content);
  expect(choice.finishReasons).toEqual([want.finish]);
  return { choice, usage };
}

/** Checks the token counts, the total being their sum. */
export function expectUsage(usage: OpenAI.CompletionUsage | undefined, want: ExpectedAnswer): void {
  expect(usage).toMatchObject({
    prompt_tokens: want.prompt,
    completion_tokens: want.completion,
    total_tokens: want.prompt + want.completion,
  });
}

/**
 * Answers a non-streamed request with `reply` and checks the SDK threw `errorClass` with the
 * gateway's `status`.
 */
export async function expectApiError(
  replay: ReplayGateway,
  model: string,
  reply: Reply,
  errorClass: ErrorClass,
  status: number,
): Promise<InstanceType<typeof OpenAI.APIError>> {
  replay.upstream.handler = () => reply;
  const error = await replay.client.chat.completions
    .create({ model, messages: hi })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(errorClass);
  const apiError = error as InstanceType<typeof OpenAI.APIError>;
  expect(apiError.status).toBe(status);
  return apiError;
}

/** Streams a request whose answer fails on the way and checks the SDK threw an API error. */
export async function expectStreamError(replay: ReplayGateway, model: string): Promise<void> {
  const stream = await replay.client.chat.completions.create({
    model,
    messages: hi,
    stream: true,
  });
  const error = await assemble(stream).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OpenAI.APIError);
}
