import { GatewayError } from '../../errors.js';

/**
 * The arguments of an assistant tool call, as the object providers want. Models sometimes
 * call a tool with no arguments and clients echo `""` back: empty or missing becomes `{}`.
 */
export function parseToolArguments(
  args: string | undefined,
  param: string,
): Record<string, unknown> {
  if (args === undefined || args.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(args);
  } catch {
    value = undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new GatewayError('invalid_parameter', 'Tool call arguments must be a JSON object.', {
      param,
    });
  }
  return value as Record<string, unknown>;
}

/** A tool result as an object, for providers that want one (Gemini functionResponse). */
export function toolResultObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Plain text: wrapped below.
  }
  return { result: text };
}
