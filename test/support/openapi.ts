import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { readFixture } from './fixtures.js';

/**
 * Rewrites OpenAPI 3.0's `nullable: true` into JSON Schema 2020-12 (`type: [T, 'null']`, or
 * an `anyOf` with null where there is no type), so a 2020-12 validator honours it.
 */
export function rewriteNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteNullable);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = rewriteNullable(v);
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.type)) out.type = [...(out.type as unknown[]), 'null'];
    else return { anyOf: [out, { type: 'null' }] };
    if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
  } else if (out.nullable === false) {
    delete out.nullable;
  }
  return out;
}

/** Validators for named schemas of an OpenAPI document in ../shared/fixtures/specs. */
export class OpenApiSchemas {
  readonly #ajv: Ajv2020;
  readonly #id: string;
  readonly #cache = new Map<string, ValidateFunction>();

  constructor(specFile: string, patch?: (spec: Record<string, unknown>) => void) {
    const text = readFixture(`specs/${specFile}`).toString('utf8');
    const spec = rewriteNullable(
      specFile.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { maxAliasCount: -1 }),
    ) as Record<string, unknown>;
    patch?.(spec);
    this.#id = `https://spec.local/${specFile}`;
    this.#ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats.default(this.#ajv);
    this.#ajv.addSchema({ ...spec, $id: this.#id });
  }

  /** Errors of `value` against `#/components/schemas/<name>`, empty when it conforms. */
  errors(name: string, value: unknown): string[] {
    let validate = this.#cache.get(name);
    if (!validate) {
      validate = this.#ajv.compile({ $ref: `${this.#id}#/components/schemas/${name}` });
      this.#cache.set(name, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
  }
}
