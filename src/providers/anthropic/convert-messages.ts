import type { ChatMessage } from '../../openai/chat-request.js';
import { mediaTypeFromUrl, parseDataUrl, unsupportedMedia } from '../shared/media.js';
import { textOf } from '../shared/request-rules.js';
import { parseToolArguments } from '../shared/tool-arguments.js';

/** A content block of a request, as the Messages API takes it. */
export type AnthropicBlock =
  | { type: 'text'; text: string }
  | { type: 'image'; source: ImageSource }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'tool_result'; tool_use_id: string; content?: string };

type ImageSource =
  { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string };

export interface AnthropicTurn {
  role: 'user' | 'assistant';
  content: AnthropicBlock[];
}

export interface ConvertedMessages {
  system: Array<{ type: 'text'; text: string }>;
  messages: AnthropicTurn[];
}

/** The image types the Messages API takes. */
// https://docs.anthropic.com/en/docs/build-with-claude/vision
const imageTypes = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

/**
 * OpenAI messages to Anthropic's `system` and alternating turns.
 * - Every system and developer message becomes one system text block, in order, wherever it
 *   stood (the Messages API has no system role inside `messages`).
 * - Tool messages become tool_result blocks of a user turn; consecutive turns of one role are
 *   merged into one, since the API wants user and assistant to alternate.
 * - A last assistant message is a prefill: its text is sent exactly as written.
 * - Empty text is never sent: the API rejects empty text blocks.
 */
export function convertMessages(messages: readonly ChatMessage[]): ConvertedMessages {
  const system: ConvertedMessages['system'] = [];
  const turns: AnthropicTurn[] = [];
  const push = (role: AnthropicTurn['role'], content: AnthropicBlock[]) => {
    if (content.length === 0) return;
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...content);
    else turns.push({ role, content });
  };

  messages.forEach((message, i) => {
    const param = `messages[${i}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        for (const text of textOf(message.content)) system.push({ type: 'text', text });
        break;
      case 'user':
        push('user', userBlocks(message.content, param));
        break;
      case 'assistant':
        push('assistant', assistantBlocks(message, param));
        break;
      case 'tool': {
        const text = textOf(message.content).join('');
        const block: AnthropicBlock = {
          type: 'tool_result',
          tool_use_id: toolId(message.tool_call_id),
        };
        if (text !== '') block.content = text;
        push('user', [block]);
        break;
      }
    }
  });
  return { system, messages: turns };
}

type UserMessage = Extract<ChatMessage, { role: 'user' }>;
type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

function userBlocks(content: UserMessage['content'], param: string): AnthropicBlock[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return content.flatMap((part, j): AnthropicBlock[] => {
    const partParam = `${param}.content[${j}]`;
    switch (part.type) {
      case 'text':
        return part.text === '' ? [] : [{ type: 'text', text: part.text }];
      case 'image_url':
        return [{ type: 'image', source: imageSource(part.image_url.url, partParam) }];
      case 'input_audio':
        throw unsupportedMedia('Anthropic', 'audio', partParam);
      case 'file':
        throw unsupportedMedia('Anthropic', 'files', partParam);
    }
  });
}

function imageSource(url: string, param: string): ImageSource {
  if (url.startsWith('https://')) {
    // Anthropic fetches https images itself, so the gateway never does.
    // https://docs.anthropic.com/en/docs/build-with-claude/vision#url-based-image-example
    const guessed = mediaTypeFromUrl(url);
    if (guessed !== undefined && !imageTypes.has(guessed)) {
      throw unsupportedMedia('Anthropic', `${guessed} images`, param);
    }
    return { type: 'url', url };
  }
  if (!url.startsWith('data:')) {
    throw unsupportedMedia('Anthropic', 'images other than https or data URLs', param);
  }
  const media = parseDataUrl(url, param);
  if (!imageTypes.has(media.mediaType)) {
    throw unsupportedMedia('Anthropic', `${media.mediaType || 'untyped'} images`, param);
  }
  return { type: 'base64', media_type: media.mediaType, data: media.data };
}

function assistantBlocks(message: AssistantMessage, param: string): AnthropicBlock[] {
  const blocks: AnthropicBlock[] = [];
  const content = message.content;
  if (typeof content === 'string') {
    if (content !== '') blocks.push({ type: 'text', text: content });
  } else if (content) {
    for (const part of content) {
      const text = part.type === 'text' ? part.text : part.refusal;
      if (text !== '') blocks.push({ type: 'text', text });
    }
  }
  message.tool_calls?.forEach((call, k) => {
    const input = parseToolArguments(
      call.function.arguments,
      `${param}.tool_calls[${k}].function.arguments`,
    );
    blocks.push({ type: 'tool_use', id: toolId(call.id), name: call.function.name, input });
  });
  return blocks;
}

/** Tool ids must match ^[a-zA-Z0-9_-]+$; ids other providers made may not. */
function toolId(id: string): string {
  const clean = id.replace(/[^a-zA-Z0-9_-]/g, '_');
  return clean === '' ? '_' : clean;
}
