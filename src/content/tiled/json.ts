import { fail, type Where } from './errors.ts';

/** A JSON object together with where it sits, so every read can name its JSON path. */
export interface JsonNode {
  value: { [key: string]: unknown };
  file: string;
  path: string;
}

export function keyPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

export function whereJson(node: JsonNode, key?: string): Where {
  return { file: node.file, position: key === undefined ? node.path : keyPath(node.path, key) };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}

/** Asserts that `value` is a JSON object. */
export function asObject(value: unknown, file: string, path: string): JsonNode {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail({ file, position: path }, `expected an object, got ${describe(value)}`);
  }
  return { value: value as { [key: string]: unknown }, file, path };
}

export function has(node: JsonNode, key: string): boolean {
  return Object.hasOwn(node.value, key) && node.value[key] !== undefined;
}

function get(node: JsonNode, key: string): unknown {
  return Object.hasOwn(node.value, key) ? node.value[key] : undefined;
}

function missing(node: JsonNode, key: string): never {
  return fail(whereJson(node, key), `missing property "${key}"`);
}

export function jsonString(node: JsonNode, key: string, fallback?: string): string {
  const v = get(node, key);
  if (v === undefined) return fallback ?? missing(node, key);
  if (typeof v !== 'string') fail(whereJson(node, key), `expected a string, got ${describe(v)}`);
  return v;
}

export function jsonNumber(node: JsonNode, key: string, fallback?: number): number {
  const v = get(node, key);
  if (v === undefined) return fallback ?? missing(node, key);
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(whereJson(node, key), `expected a number, got ${describe(v)}`);
  return v;
}

export function jsonInt(node: JsonNode, key: string, fallback?: number, min = -(2 ** 31), max = 2 ** 32 - 1): number {
  const v = get(node, key);
  if (v === undefined) return fallback ?? missing(node, key);
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(whereJson(node, key), `expected an integer, got ${describe(v)}`);
  if (v < min || v > max) fail(whereJson(node, key), `must be in [${min}, ${max}], got ${v}`);
  return v;
}

export function jsonBool(node: JsonNode, key: string, fallback?: boolean): boolean {
  const v = get(node, key);
  if (v === undefined) return fallback ?? missing(node, key);
  if (typeof v !== 'boolean') fail(whereJson(node, key), `expected true or false, got ${describe(v)}`);
  return v;
}

export function jsonArray(node: JsonNode, key: string, fallback?: unknown[]): unknown[] {
  const v = get(node, key);
  if (v === undefined) return fallback ?? missing(node, key);
  if (!Array.isArray(v)) fail(whereJson(node, key), `expected an array, got ${describe(v)}`);
  return v;
}

/** The objects of an array property, each with its own JSON path. */
export function jsonObjects(node: JsonNode, key: string): JsonNode[] {
  const base = keyPath(node.path, key);
  return jsonArray(node, key, []).map((v, i) => asObject(v, node.file, `${base}[${i}]`));
}

export function jsonChild(node: JsonNode, key: string): JsonNode {
  return asObject(get(node, key), node.file, keyPath(node.path, key));
}

export function jsonRaw(node: JsonNode, key: string): unknown {
  return get(node, key);
}

export { describe as describeJson };
