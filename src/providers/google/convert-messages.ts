import { GatewayError } from '../../errors.js';
import type { ChatMessage } from '../../openai/chat-request.js';
import { mediaTypeFromUrl, parseDataUrl, unsupportedMedia } from '../shared/media.js';
import { textOf } from '../shared/request-rules.js';
import { parseToolArguments, toolResultObject } from '../shared/tool-arguments.js';

/** A request part, as generateContent takes it. */
export type GeminiRequestPart =
  | { text: string }
  | { inlineData: { mimeType: string; data: string } }
  | { fileData: { fileUri: string; mimeType?: string } }
  | { functionCall: { name: string; args: Record<string, unknown> }; thoughtSignature?: string }
  | { functionResponse: { name: string; response: Record<string, unknown> } };

export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiRequestPart[];
}

export interface ConvertedContents {
  systemInstruction?: { parts: Array<{ text: string }> };
  contents: GeminiContent[];
}

/** https://ai.google.dev/gemini-api/docs/image-understanding#supported-formats */
const imageTypes = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif']);
/** https://ai.google.dev/gemini-api/docs/audio#supported-formats (OpenAI sends wav or mp3). */
const audioTypes: Record<string, string> = { wav: 'audio/wav', mp3: 'audio/mp3' };

/**
 * Gemini 3 rejects a function call in the history without the thought signature it came with;
 * OpenAI clients cannot send it back, so the documented placeholder stands in for it.
 * https://ai.google.dev/gemini-api/docs/thought-signatures#faqs
 */
const placeholderSignature = 'skip_thought_signature_validator';

/**
 * OpenAI messages to Gemini contents.
 * - System and developer messages, every one in order, become systemInstruction parts; for a
 *   model without system instructions (Gemini 1.0) they open the first user turn instead.
 * - Tool messages become functionResponse parts of a user turn, named after the call they
 *   answer; consecutive turns of one role are merged, as Gemini wants them alternating.
 * - A last assistant (model) turn is sent as written. Empty text is never sent.
 */
export function convertContents(
  messages: readonly ChatMessage[],
  model: string,
): ConvertedContents {
  const system: Array<{ text: string }> = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();
  const signCalls = /^gemini-[3-9]/.test(model);
  const push = (role: GeminiContent['role'], parts: GeminiRequestPart[]) => {
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };

  messages.forEach((message, i) => {
    const param = `messages[${i}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        for (const text of textOf(message.content)) system.push({ text });
        break;
      case 'user':
        push('user', userParts(message.content, param));
        break;
      case 'assistant': {
        const parts = modelParts(message, param, toolNames);
        const first = parts.find((p) => 'functionCall' in p);
        const opensTurn = contents.at(-1)?.role !== 'model';
        if (signCalls && first && 'functionCall' in first && opensTurn) {
          first.thoughtSignature = placeholderSignature;
        }
        push('model', parts);
        break;
      }
      case 'tool': {
        const name = toolNames.get(message.tool_call_id);
        if (name === undefined) {
          throw new GatewayError(
            'invalid_parameter',
            'A tool message must answer a tool call of an earlier assistant message.',
            { param: `${param}.tool_call_id` },
          );
        }
        const response = toolResultObject(textOf(message.content).join(''));
        push('user', [{ functionResponse: { name, response } }]);
        break;
      }
    }
  });
  return withSystem(system, contents, supportsSystemInstruction(model));
}

/** Gemini 1.0 models answer 400 to systemInstruction. */
// https://ai.google.dev/gemini-api/docs/system-instructions
export function supportsSystemInstruction(model: string): boolean {
  return !/^(models\/)?gemini-(1\.0-pro|pro)(-vision)?(-\d+)?(-latest)?$/.test(model);
}

function withSystem(
  system: Array<{ text: string }>,
  contents: GeminiContent[],
  supported: boolean,
): ConvertedContents {
  if (system.length === 0) return { contents };
  if (supported) return { systemInstruction: { parts: system }, contents };
  const firstUser = contents.find((c) => c.role === 'user');
  firstUser?.parts.unshift(...system);
  return { contents };
}

type UserMessage = Extract<ChatMessage, { role: 'user' }>;
type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

function userParts(content: UserMessage['content'], param: string): GeminiRequestPart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  return content.flatMap((part, j): GeminiRequestPart[] => {
    const partParam = `${param}.content[${j}]`;
    switch (part.type) {
      case 'text':
        return part.text === '' ? [] : [{ text: part.text }];
      case 'image_url':
        return [imagePart(part.image_url.url, partParam)];
      case 'input_audio': {
        const mimeType = audioTypes[part.input_audio.format];
        const format = part.input_audio.format;
        if (!mimeType) throw unsupportedMedia('Gemini', `${format} audio`, partParam);
        return [{ inlineData: { mimeType, data: part.input_audio.data } }];
      }
      case 'file':
        return [filePart(part.file, partParam)];
    }
  });
}

function imagePart(url: string, param: string): GeminiRequestPart {
  if (url.startsWith('https://')) {
    // Gemini reads public https URLs itself, so the gateway never fetches them.
    // https://ai.google.dev/gemini-api/docs/file-input-methods#external-urls
    const mimeType = mediaTypeFromUrl(url);
    if (mimeType !== undefined && !imageTypes.has(mimeType)) {
      throw unsupportedMedia('Gemini', `${mimeType} images`, param);
    }
    return { fileData: mimeType ? { fileUri: url, mimeType } : { fileUri: url } };
  }
  if (!url.startsWith('data:')) {
    throw unsupportedMedia('Gemini', 'images other than https or data URLs', param);
  }
  const media = parseDataUrl(url, param);
  if (!imageTypes.has(media.mediaType)) {
    throw unsupportedMedia('Gemini', `${media.mediaType || 'untyped'} images`, param);
  }
  return { inlineData: { mimeType: media.mediaType, data: media.data } };
}

/** A `file` part with inline `file_data` (a PDF); file ids belong to OpenAI's file store. */
function filePart(file: Record<string, unknown>, param: string): GeminiRequestPart {
  if (typeof file.file_data !== 'string') throw unsupportedMedia('Gemini', 'file ids', param);
  const media = parseDataUrl(file.file_data, param);
  if (media.mediaType !== 'application/pdf') {
    throw unsupportedMedia('Gemini', `${media.mediaType || 'untyped'} files`, param);
  }
  return { inlineData: { mimeType: media.mediaType, data: media.data } };
}

function modelParts(
  message: AssistantMessage,
  param: string,
  toolNames: Map<string, string>,
): GeminiRequestPart[] {
  const parts: GeminiRequestPart[] = [];
  const content = message.content;
  if (typeof content === 'string') {
    if (content !== '') parts.push({ text: content });
  } else if (content) {
    for (const part of content) {
      const text = part.type === 'text' ? part.text : part.refusal;
      if (text !== '') parts.push({ text });
    }
  }
  message.tool_calls?.forEach((call, k) => {
    const argsParam = `${param}.tool_calls[${k}].function.arguments`;
    const args = parseToolArguments(call.function.arguments, argsParam);
    toolNames.set(call.id, call.function.name);
    parts.push({ functionCall: { name: call.function.name, args } });
  });
  return parts;
}
