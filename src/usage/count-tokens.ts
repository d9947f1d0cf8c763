import { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import type { ChatRequest } from '../openai/chat-request.js';

// Special-token text such as "<|endoftext|>" in a prompt is counted as plain text, not refused.
const asText = { disallowedSpecial: new Set<string>() };

/** Per-message framing, as OpenAI's cookbook counts it for chat models. */
const tokensPerMessage = 3;
const replyPriming = 3;
/** An image costs at most this much at high detail for a 512x512 tile plus the base; a guess. */
const tokensPerImage = 765;
/** Audio and files are not tokenized here: a flat, generous guess. */
const tokensPerAttachment = 1_000;

/** BPE tokens of a text (cl100k_base). */
export function countTextTokens(text: string): number {
  return text.length === 0 ? 0 : countTokens(text, asText);
}

/**
 * An estimate of a request's prompt tokens, for reserving against the day's budget: the text of
 * every message, tool definitions and schemas with the real tokenizer, media at flat rates.
 */
export function estimatePromptTokens(request: ChatRequest): number {
  let total = replyPriming;
  for (const message of request.messages) {
    total += tokensPerMessage;
    const name: unknown = 'name' in message ? message.name : undefined;
    if (typeof name === 'string') total += countTextTokens(name);
    const content = message.content;
    if (typeof content === 'string') {
      total += countTextTokens(content);
    } else if (Array.isArray(content)) {
      for (const part of content) {
        if (part.type === 'text') total += countTextTokens(part.text);
        else if (part.type === 'refusal') total += countTextTokens(part.refusal);
        else if (part.type === 'image_url') total += tokensPerImage;
        else total += tokensPerAttachment;
      }
    }
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) {
        total += countTextTokens(call.function.name) + countTextTokens(call.function.arguments);
      }
    }
  }
  if (request.tools) total += countTextTokens(JSON.stringify(request.tools));
  if (request.response_format?.type === 'json_schema') {
    total += countTextTokens(JSON.stringify(request.response_format.json_schema));
  }
  return total;
}
