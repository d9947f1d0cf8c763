import type { z } from 'zod';
import { GatewayError } from '../errors.js';
import { chatRequestSchema, type ChatRequest } from './chat-request.js';

/** Parses a chat body; the first problem becomes a 400 whose `param` names the field. */
export function validateChatRequest(body: unknown): ChatRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new GatewayError('invalid_request', 'The request body must be a JSON object.');
  }
  const parsed = chatRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const { issue, path } = mostSpecific(parsed.error.issues[0]!, []);
  const param = formatPath(path);
  const missing = valueAt(body, path) === undefined;
  throw new GatewayError('invalid_parameter', describe(issue, param, missing), {
    param: param || null,
  });
}

/** The value at a path of the body (zod's issues do not carry it). */
function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let value = body;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/**
 * A union that matched no option reports one list of issues per option; the deepest of them
 * points closest to what is wrong (`messages[1].content[0].type`, not just `messages[1]`).
 */
function mostSpecific(
  issue: z.core.$ZodIssue,
  prefix: readonly PropertyKey[],
): { issue: z.core.$ZodIssue; path: PropertyKey[] } {
  const path = [...prefix, ...issue.path];
  if (issue.code !== 'invalid_union') return { issue, path };
  if (issue.discriminator) {
    const named = path.at(-1) === issue.discriminator;
    return { issue, path: named ? path : [...path, issue.discriminator] };
  }
  let best: { issue: z.core.$ZodIssue; path: PropertyKey[] } = { issue, path };
  for (const option of issue.errors) {
    for (const inner of option) {
      const found = mostSpecific(inner, path);
      if (found.path.length > best.path.length) best = found;
    }
  }
  return best;
}

/** `messages[0].content`, as OpenAI names parameters. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

function describe(issue: z.core.$ZodIssue, param: string, missing: boolean): string {
  const name = param || 'body';
  if (missing) return `Missing required parameter: '${name}'.`;
  switch (issue.code) {
    case 'invalid_type':
      return `Invalid type for '${name}': expected ${issue.expected}.`;
    case 'too_small':
    case 'too_big':
      return `Invalid value for '${name}': ${issue.message.replace(/^Too (small|big): /, '')}.`;
    case 'invalid_union':
      return issue.discriminator
        ? `Invalid value for '${name}': not a supported ${issue.discriminator}.`
        : `Invalid value for '${name}'.`;
    case 'invalid_value':
      return `Invalid value for '${name}': expected one of ${issue.values.map(String).join(', ')}.`;
    default:
      return `Invalid value for '${name}': ${issue.message}.`;
  }
}
