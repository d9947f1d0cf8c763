import { z } from 'zod';

/**
 * What the Messages API answers, checked only as far as the gateway reads it. Objects are
 * loose: Anthropic adds fields (service_tier, inference_geo, stop_details, ...) without notice.
 * https://docs.anthropic.com/en/api/messages
 */

export const anthropicUsageSchema = z.looseObject({
  input_tokens: z.number().int().nonnegative().nullish(),
  output_tokens: z.number().int().nonnegative().nullish(),
  cache_creation_input_tokens: z.number().int().nonnegative().nullish(),
  cache_read_input_tokens: z.number().int().nonnegative().nullish(),
});
export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;

/** Any block; thinking, server tools and blocks yet to come never reach message.content. */
export const contentBlockSchema = z.looseObject({ type: z.string() });
type Block = z.infer<typeof contentBlockSchema>;

const textBlock = z.looseObject({ type: z.literal('text'), text: z.string() });
const toolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
});

/** The text of a text block, else undefined. */
export function blockText(block: Block): string | undefined {
  const parsed = textBlock.safeParse(block);
  return parsed.success ? parsed.data.text : undefined;
}

/** A client tool call block (tool_use, not server_tool_use), else undefined. */
export function blockToolUse(block: Block): z.infer<typeof toolUseBlock> | undefined {
  const parsed = toolUseBlock.safeParse(block);
  return parsed.success ? parsed.data : undefined;
}

export const messageSchema = z.looseObject({
  id: z.string(),
  type: z.literal('message'),
  role: z.literal('assistant'),
  content: z.array(contentBlockSchema),
  stop_reason: z.string().nullish(),
  usage: anthropicUsageSchema,
});
export type AnthropicMessage = z.infer<typeof messageSchema>;

/** The streamed events: https://docs.anthropic.com/en/docs/build-with-claude/streaming */
export const messageStartSchema = z.looseObject({
  type: z.literal('message_start'),
  message: z.looseObject({ id: z.string(), usage: anthropicUsageSchema.nullish() }),
});

export const blockStartSchema = z.looseObject({
  type: z.literal('content_block_start'),
  index: z.number().int(),
  content_block: contentBlockSchema,
});

export const blockDeltaSchema = z.looseObject({
  type: z.literal('content_block_delta'),
  index: z.number().int(),
  delta: z.looseObject({
    type: z.string(),
    text: z.string().optional(),
    partial_json: z.string().optional(),
  }),
});

export const blockStopSchema = z.looseObject({
  type: z.literal('content_block_stop'),
  index: z.number().int(),
});

export const messageDeltaSchema = z.looseObject({
  type: z.literal('message_delta'),
  delta: z.looseObject({ stop_reason: z.string().nullish() }),
  usage: anthropicUsageSchema.nullish(),
});

/** `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}` */
export const errorBodySchema = z.looseObject({
  type: z.literal('error').optional(),
  error: z.looseObject({ type: z.string().optional(), message: z.string().optional() }),
});
export type AnthropicErrorObject = z.infer<typeof errorBodySchema>['error'];
