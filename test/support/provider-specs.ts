import { readFileSync } from 'node:fs';
import type { AnySchema, ValidateFunction } from 'ajv';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { fixturesDir } from './fixtures.js';

/**
 * Validators of translated requests against the providers' published OpenAPI specs in
 * ../shared/fixtures/specs. Anthropic's is OpenAPI 3.1 (JSON Schema 2020-12) and is used as is.
 * Gemini's is OpenAPI 3.0, converted where it must be: `nullable` is dropped (requests never
 * hold null), int64 fields (JSON strings in protobuf's mapping) also take numbers, and objects
 * that list their properties get `additionalProperties: false`, so a stray key is caught
 * (protobuf JSON rejects unknown fields too). `model` is not required in the body: the REST
 * call binds it from the URL path (`/v1beta/{model=models/*}:generateContent`).
 */
function readSpec(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`${fixturesDir}specs/${name}`, 'utf8')) as Record<string, unknown>;
}

export function anthropicValidator(schema = 'CreateMessageParams'): ValidateFunction {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema(readSpec('anthropic-openapi.json') as AnySchema, 'anthropic');
  return ajv.compile({ $ref: `anthropic#/components/schemas/${schema}` });
}

export function geminiValidator(schema = 'GenerateContentRequest'): ValidateFunction {
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  const spec = convertOpenApi30(readSpec('gemini-openapi.json')) as SpecShape;
  const request = spec.components.schemas.GenerateContentRequest!;
  request.required = (request.required ?? []).filter((r) => r !== 'model');
  ajv.addSchema(spec as AnySchema, 'gemini');
  return ajv.compile({ $ref: `gemini#/components/schemas/${schema}` });
}

interface SpecShape {
  components: { schemas: Record<string, { required?: string[] }> };
}

function convertOpenApi30(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convertOpenApi30);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable') continue;
    out[key] = key === 'properties' ? mapValues(value) : convertOpenApi30(value);
  }
  if (out.type === 'string' && out.format === 'int64') {
    delete out.type;
    out.anyOf = [{ type: 'string' }, { type: 'integer' }];
  }
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

function mapValues(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertOpenApi30(v)]));
}
