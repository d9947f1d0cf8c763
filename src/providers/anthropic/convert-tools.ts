import type { ChatRequest } from '../../openai/chat-request.js';

export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
}

export type AnthropicToolChoice =
  | { type: 'auto' | 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

/**
 * OpenAI function tools to Anthropic tools. The input schema must be an object schema; a tool
 * without parameters gets an empty one. `$schema` is dropped, the rest of JSON Schema passes.
 * https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use
 */
export function convertTools(tools: NonNullable<ChatRequest['tools']>): AnthropicTool[] {
  return tools.map(({ function: fn }) => {
    const { $schema: _schema, ...schema } = fn.parameters ?? {};
    const tool: AnthropicTool = {
      name: fn.name,
      input_schema: { ...schema, type: 'object' },
    };
    if (!('properties' in schema)) tool.input_schema.properties = {};
    if (fn.description) tool.description = fn.description;
    return tool;
  });
}

/**
 * tool_choice: none, auto, required (Anthropic "any") or a named function ("tool").
 * parallel_tool_calls false becomes disable_parallel_tool_use.
 */
export function convertToolChoice(request: ChatRequest): AnthropicToolChoice | undefined {
  const choice = request.tool_choice;
  const serial = request.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any', ...serial };
  if (typeof choice === 'object') return { type: 'tool', name: choice.function.name, ...serial };
  if (choice === 'auto' || request.parallel_tool_calls === false) {
    return { type: 'auto', ...serial };
  }
  return undefined;
}
