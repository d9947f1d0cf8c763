/**
 * JSON Schema (as OpenAI clients write it) to Gemini's Schema, an OpenAPI 3.0 subset. Gemini
 * answers 400 for keywords outside the subset, so the rest are removed or converted:
 * - `$ref` into `$defs`/`definitions` is inlined (to a bounded depth: Gemini has no refs);
 * - a type list with "null" becomes `nullable`, a string `const` a one-value enum;
 * - `oneOf` becomes `anyOf`; a single-entry `allOf` is merged;
 * - `format` is kept only where Gemini knows it; enums stay only on strings;
 * - an object with no properties loses `properties` (Gemini rejects an empty map).
 * https://ai.google.dev/api/caching#Schema
 */

type JsonSchema = Record<string, unknown>;

const kept = new Set([
  'description',
  'title',
  'nullable',
  'required',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'example',
  'default',
  'propertyOrdering',
]);
const formats: Record<string, Set<string>> = {
  STRING: new Set(['enum', 'date-time']),
  INTEGER: new Set(['int32', 'int64']),
  NUMBER: new Set(['float', 'double']),
};
const maxRefDepth = 8;

/** Converts one schema; `root` holds the definitions its refs point into. */
export function toGeminiSchema(
  schema: JsonSchema,
  root: JsonSchema = schema,
  depth = 0,
): JsonSchema {
  const resolved = resolveRef(schema, root, depth);
  if (resolved !== schema) return toGeminiSchema(resolved, root, depth + 1);
  const out: JsonSchema = {};
  const type = geminiType(schema.type, out);
  if (type) out.type = type;
  for (const [key, value] of Object.entries(schema)) {
    if (kept.has(key)) out[key] = value;
  }
  if (typeof schema.format === 'string' && type && formats[type]?.has(schema.format)) {
    out.format = schema.format;
  }
  if (typeof schema.const === 'string') {
    out.enum = [schema.const];
    out.type ??= 'STRING';
  } else if (typeof schema.const === 'number' || typeof schema.const === 'boolean') {
    out.type ??= typeof schema.const === 'number' ? 'NUMBER' : 'BOOLEAN';
  }
  if (Array.isArray(schema.enum) && (type === 'STRING' || type === undefined)) {
    out.enum = schema.enum.filter((v) => v !== null).map(String);
    out.type ??= 'STRING';
  }
  if (isSchema(schema.items)) out.items = toGeminiSchema(schema.items, root, depth);
  if (isSchema(schema.properties)) {
    const properties = Object.entries(schema.properties).filter(([, v]) => isSchema(v));
    if (properties.length > 0) {
      out.properties = Object.fromEntries(
        properties.map(([k, v]) => [k, toGeminiSchema(v as JsonSchema, root, depth)]),
      );
    } else delete out.required;
  }
  const alternatives = [schema.anyOf, schema.oneOf].find(Array.isArray);
  if (alternatives) {
    out.anyOf = alternatives.filter(isSchema).map((s) => toGeminiSchema(s, root, depth));
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1 && isSchema(schema.allOf[0])) {
    return { ...toGeminiSchema(schema.allOf[0], root, depth), ...out };
  }
  return out;
}

function geminiType(type: unknown, out: JsonSchema): string | undefined {
  let types = Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
  if (typeof type === 'string') types = [type];
  if (types.includes('null') && types.length > 1) out.nullable = true;
  const main = types.find((t) => t !== 'null') ?? types[0];
  return main?.toUpperCase();
}

function resolveRef(schema: JsonSchema, root: JsonSchema, depth: number): JsonSchema {
  if (typeof schema.$ref !== 'string') return schema;
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(schema.$ref);
  const defs = match ? root[match[1]!] : undefined;
  const target = isSchema(defs) ? defs[match![2]!] : undefined;
  // TODO: a recursive type is cut at the depth bound into an object of unknown shape; Gemini
  // has no refs, a responseJsonSchema/parametersJsonSchema request would keep it whole.
  if (!isSchema(target) || depth >= maxRefDepth) return { type: 'object' };
  return { ...target, ...withoutRef(schema) };
}

function withoutRef(schema: JsonSchema): JsonSchema {
  const { $ref: _ref, ...rest } = schema;
  return rest;
}

function isSchema(value: unknown): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
