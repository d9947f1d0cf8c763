import type { ChatRequest } from '../../openai/chat-request.js';
import { toGeminiSchema } from './convert-schema.js';

export interface GeminiFunctionDeclaration {
  name: string;
  /** Required by the API even when empty. */
  description: string;
  parameters?: Record<string, unknown>;
}

/**
 * OpenAI function tools to one Gemini tool of functionDeclarations. A function without
 * parameters (or with an empty object schema) sends none: Gemini rejects an OBJECT with no
 * properties. https://ai.google.dev/gemini-api/docs/function-calling
 */
export function convertTools(tools: NonNullable<ChatRequest['tools']>) {
  const functionDeclarations = tools.map(({ function: fn }): GeminiFunctionDeclaration => {
    const declaration: GeminiFunctionDeclaration = {
      name: fn.name,
      description: fn.description ?? '',
    };
    const parameters = fn.parameters ? toGeminiSchema(fn.parameters) : undefined;
    if (parameters && (parameters.type !== 'OBJECT' || parameters.properties)) {
      declaration.parameters = parameters;
    }
    return declaration;
  });
  return [{ functionDeclarations }];
}

/**
 * tool_choice to functionCallingConfig: none NONE, auto AUTO, required ANY, a named function
 * ANY limited to that name. parallel_tool_calls has no Gemini setting and is dropped.
 */
export function convertToolConfig(choice: ChatRequest['tool_choice']) {
  if (choice === undefined) return undefined;
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.function.name] } };
}
