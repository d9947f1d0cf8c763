import type { PartialArg } from './wire.js';

/**
 * Arguments streamed piece by piece (Vertex `streamFunctionCallArguments`): each piece names a
 * JSON path and a value; string pieces of one path are concatenated. The arguments are sent on
 * as one JSON text when the call is complete, since pieces arrive by path, not in text order.
 * https://cloud.google.com/vertex-ai/generative-ai/docs/multimodal/function-calling#streaming
 */
export class PartialArguments {
  readonly #root: Record<string, unknown> = {};

  apply(pieces: readonly PartialArg[]): void {
    for (const piece of pieces) {
      const path = parsePath(piece.jsonPath);
      if (path.length === 0) continue;
      let value: unknown;
      if (piece.stringValue !== undefined) {
        const previous = getPath(this.#root, path);
        value = (typeof previous === 'string' ? previous : '') + piece.stringValue;
      } else if (piece.numberValue !== undefined) value = piece.numberValue;
      else if (piece.boolValue !== undefined) value = piece.boolValue;
      else if ('nullValue' in piece) value = null;
      else continue;
      setPath(this.#root, path, value);
    }
  }

  json(): string {
    return JSON.stringify(this.#root);
  }
}

type Segment = string | number;

/** `$.a.b[2].c` to ['a', 'b', 2, 'c']; also `$['a']`. */
function parsePath(path: string): Segment[] {
  const segments: Segment[] = [];
  const pattern = /\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]/g;
  for (const match of path.replace(/^\$/, '').matchAll(pattern)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[3] !== undefined) segments.push(match[3]);
  }
  return segments;
}

function getPath(root: unknown, path: readonly Segment[]): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<Segment, unknown>)[segment];
  }
  return node;
}

function setPath(root: Record<string, unknown>, path: readonly Segment[], value: unknown): void {
  let node: Record<Segment, unknown> = root;
  path.forEach((segment, i) => {
    if (i === path.length - 1) {
      node[segment] = value;
      return;
    }
    const next = node[segment];
    if (next === null || typeof next !== 'object') {
      node[segment] = typeof path[i + 1] === 'number' ? [] : {};
    }
    node = node[segment] as Record<Segment, unknown>;
  });
}
