import { z } from 'zod';

/** OpenAI usage, as sent by OpenAI and every compatible host. */
export const usageSchema = z.looseObject({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative().optional(),
});
export type Usage = z.infer<typeof usageSchema>;

const choiceSchema = z.looseObject({
  index: z.number().int(),
  message: z.looseObject({ role: z.string() }),
  finish_reason: z.string().nullable(),
});

/** A non-streaming answer, checked only as far as the gateway relies on it. */
export const chatCompletionSchema = z.looseObject({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number(),
  model: z.string(),
  choices: z.array(choiceSchema),
  usage: usageSchema.nullish(),
});
export type ChatCompletion = z.infer<typeof chatCompletionSchema>;

const chunkChoiceSchema = z.looseObject({
  index: z.number().int(),
  delta: z.looseObject({}).nullish(),
  finish_reason: z.string().nullish(),
});

/** One streamed chunk; `error` is what some hosts (OpenRouter) send when a stream fails. */
export const chatChunkSchema = z.looseObject({
  id: z.string().optional(),
  object: z.string().optional(),
  created: z.number().optional(),
  model: z.string().optional(),
  choices: z.array(chunkChoiceSchema).optional(),
  usage: usageSchema.nullish(),
  error: z.looseObject({ message: z.unknown() }).optional(),
});
export type ChatChunk = z.infer<typeof chatChunkSchema>;

/** What the gateway itself writes as a chunk: always with choices. */
export interface OutChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  system_fingerprint?: string | null;
  choices: OutChunkChoice[];
  usage?: Usage | null;
  [extra: string]: unknown;
}

export interface OutChunkChoice {
  index: number;
  delta: {
    role?: 'assistant';
    content?: string | null;
    refusal?: string | null;
    tool_calls?: OutToolCallDelta[];
    [extra: string]: unknown;
  };
  logprobs?: unknown;
  finish_reason: FinishReason | null;
}

export interface OutToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function: { name?: string; arguments: string };
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';
