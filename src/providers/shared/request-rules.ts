import { GatewayError } from '../../errors.js';
import type { ChatMessage, ChatRequest } from '../../openai/chat-request.js';

/**
 * Rules every non-OpenAI adapter applies the same way.
 *
 * Parameters a provider cannot honour follow one rule: a parameter that only tunes how an
 * answer is produced or tracked (penalties, seed, logit_bias, user, parallel_tool_calls, ...)
 * is dropped, because the client still receives the kind of answer it asked for. A parameter
 * whose loss would change what the client receives (n above 1, logprobs, a response format,
 * a media part, a value outside the provider's range) is refused with a 400 naming it.
 */

/**
 * The completion cap: `max_completion_tokens` wins over `max_tokens` when both are set (OpenAI
 * deprecated max_tokens for it); with neither, the cap the gateway reserved.
 */
export function completionCap(request: ChatRequest, reserved: number): number {
  return request.max_completion_tokens ?? request.max_tokens ?? reserved;
}

/** Stop sequences as a list; an empty array, an empty string or null means none. */
export function stopSequences(request: ChatRequest): string[] {
  const stop = request.stop;
  if (stop == null) return [];
  return (typeof stop === 'string' ? [stop] : stop).filter((s) => s !== '');
}

/** The conversation checks every adapter runs before translating: both rules below. */
export function checkConversation(messages: readonly ChatMessage[]): void {
  requireUserTurn(messages);
  requireKnownToolCalls(messages);
}

/**
 * A conversation with no user turn that says something (or tool result) has nothing to
 * answer: 400 before any call. A user message of empty or blank text does not count, since
 * providers drop (or refuse) empty text and would receive no turn at all.
 */
export function requireUserTurn(messages: readonly ChatMessage[]): void {
  if (messages.some((m) => m.role === 'tool' || (m.role === 'user' && saysSomething(m.content)))) {
    return;
  }
  throw new GatewayError(
    'invalid_parameter',
    'The messages must include at least one user message with content; system and assistant ' +
      'messages alone, or empty user messages, give the model nothing to answer.',
    { param: 'messages' },
  );
}

/** Every tool message answers a tool call made by an earlier assistant message. */
export function requireKnownToolCalls(messages: readonly ChatMessage[]): void {
  const calls = new Set<string>();
  messages.forEach((message, i) => {
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) calls.add(call.id);
    } else if (message.role === 'tool' && !calls.has(message.tool_call_id)) {
      throw new GatewayError(
        'invalid_parameter',
        `The tool message answers '${message.tool_call_id}', which no earlier assistant ` +
          'message called.',
        { param: `messages[${i}].tool_call_id` },
      );
    }
  });
}

function saysSomething(content: Extract<ChatMessage, { role: 'user' }>['content']): boolean {
  if (typeof content === 'string') return content.trim() !== '';
  return content.some((part) => part.type !== 'text' || part.text.trim() !== '');
}

/** Refuses a parameter by the rule above. */
export function refuse(param: string, message: string): GatewayError {
  return new GatewayError('invalid_parameter', message, { param });
}

/** Refuses `logprobs: true`: neither adapter returns token log probabilities yet. */
export function refuseLogprobs(request: ChatRequest, provider: string): void {
  if (request.logprobs === true) {
    throw refuse('logprobs', `Log probabilities are not available for ${provider} models.`);
  }
}

/** The text of a content that may be a string or text parts, empty parts left out. */
export function textOf(content: string | ReadonlyArray<{ type: string; text?: string }>): string[] {
  if (typeof content === 'string') return content === '' ? [] : [content];
  return content.flatMap((p) => (p.type === 'text' && p.text ? [p.text] : []));
}
