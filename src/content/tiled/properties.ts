import { fail, type Where } from './errors.ts';
import { asObject, describeJson, jsonObjects, jsonString, keyPath, whereJson, type JsonNode } from './json.ts';
import type { Properties, PropertyValue } from './model.ts';
import { attrString, childNamed, childrenNamed, parseBool, whereXml, type XmlElement } from './xml.ts';

const COLOR_RE = /^(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{8})?$/;
const INT_RE = /^[+-]?\d+$/;
const NUM_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A property record without a prototype (see {@link Properties}). */
export function emptyProperties(): Properties {
  return Object.create(null) as Properties;
}

/** `base` overlaid with `over`, as an object instance overrides its template. */
export function mergeProperties(base: Properties, over: Properties): Properties {
  const out = emptyProperties();
  for (const [k, v] of Object.entries(base)) out[k] = v;
  for (const [k, v] of Object.entries(over)) out[k] = v;
  return out;
}

/** Checks a colour as Tiled writes it (`#rrggbb` or `#aarrggbb`, or empty). */
export function checkColor(value: string, where: Where, what: string): string {
  if (!COLOR_RE.test(value)) fail(where, `${what} must be a colour like #rrggbb or #aarrggbb, got "${value}"`);
  return value;
}

/** Reads the `<properties>` child of `el` (none → empty). */
export function xmlProperties(el: XmlElement, maxDepth: number, depth = 0): Properties {
  const out = emptyProperties();
  const block = childNamed(el, 'properties');
  if (block === undefined) return out;
  if (depth >= maxDepth) fail(whereXml(block), `class properties nested deeper than ${maxDepth} levels`);
  for (const p of childrenNamed(block, 'property')) {
    out[attrString(p, 'name')] = xmlProperty(p, maxDepth, depth);
  }
  return out;
}

function xmlProperty(p: XmlElement, maxDepth: number, depth: number): PropertyValue {
  const type = attrString(p, 'type', 'string');
  const propertyType = attrString(p, 'propertytype', '');
  const where = whereXml(p);
  if (type === 'class') return { type, value: xmlProperties(p, maxDepth, depth + 1), propertyType };
  // Multi-line strings are written as element text instead of a value attribute.
  const raw = p.attrs['value'] ?? p.text;
  switch (type) {
    case 'string':
    case 'file':
      return { type, value: raw, propertyType };
    case 'color':
      return { type, value: checkColor(raw, where, 'color property'), propertyType };
    case 'int':
    case 'object': {
      const n = Number(raw.trim());
      if (!INT_RE.test(raw.trim()) || !Number.isSafeInteger(n)) fail(where, `${type} property must be an integer, got "${raw}"`);
      return { type, value: n, propertyType };
    }
    case 'float': {
      const n = Number(raw.trim());
      if (!NUM_RE.test(raw.trim()) || !Number.isFinite(n)) fail(where, `float property must be a number, got "${raw}"`);
      return { type, value: n, propertyType };
    }
    case 'bool':
      return { type, value: parseBool(raw, where, 'bool property'), propertyType };
    default:
      return fail(where, `unknown property type "${type}"`);
  }
}

/** Reads the `properties` array of a JSON node (absent → empty). */
export function jsonProperties(node: JsonNode, maxDepth: number): Properties {
  const out = emptyProperties();
  for (const p of jsonObjects(node, 'properties')) {
    out[jsonString(p, 'name')] = jsonProperty(p, maxDepth);
  }
  return out;
}

function jsonProperty(p: JsonNode, maxDepth: number): PropertyValue {
  const type = jsonString(p, 'type', 'string');
  const propertyType = jsonString(p, 'propertytype', '');
  const v = Object.hasOwn(p.value, 'value') ? p.value['value'] : undefined;
  const where = whereJson(p, 'value');
  const wrong = (expected: string): never => fail(where, `${type} property must be ${expected}, got ${describeJson(v)}`);
  switch (type) {
    case 'string':
    case 'file':
      if (v === undefined) return { type, value: '', propertyType };
      return typeof v === 'string' ? { type, value: v, propertyType } : wrong('a string');
    case 'color':
      if (v === undefined) return { type, value: '', propertyType };
      return typeof v === 'string' ? { type, value: checkColor(v, where, 'color property'), propertyType } : wrong('a string');
    case 'int':
    case 'object':
      return typeof v === 'number' && Number.isSafeInteger(v) ? { type, value: v, propertyType } : wrong('an integer');
    case 'float':
      return typeof v === 'number' && Number.isFinite(v) ? { type, value: v, propertyType } : wrong('a number');
    case 'bool':
      return typeof v === 'boolean' ? { type, value: v, propertyType } : wrong('true or false');
    case 'class':
      if (v === undefined) return { type, value: emptyProperties(), propertyType };
      return { type, value: jsonClassMembers(asObject(v, p.file, where.position), maxDepth, 1), propertyType };
    default:
      return fail(whereJson(p, 'type'), `unknown property type "${type}"`);
  }
}

/**
 * Members of a class value in JSON. The JSON format does not store member
 * types (they live in the Tiled project), so they are inferred: integer →
 * int, other number → float, boolean → bool, string → string, object → class.
 */
function jsonClassMembers(node: JsonNode, maxDepth: number, depth: number): Properties {
  if (depth > maxDepth) fail(whereJson(node), `class properties nested deeper than ${maxDepth} levels`);
  const out = emptyProperties();
  for (const [name, v] of Object.entries(node.value)) {
    const where: Where = { file: node.file, position: keyPath(node.path, name) };
    if (typeof v === 'string') out[name] = { type: 'string', value: v, propertyType: '' };
    else if (typeof v === 'boolean') out[name] = { type: 'bool', value: v, propertyType: '' };
    else if (typeof v === 'number' && Number.isFinite(v)) {
      out[name] = { type: Number.isSafeInteger(v) ? 'int' : 'float', value: v, propertyType: '' };
    } else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      out[name] = { type: 'class', value: jsonClassMembers(asObject(v, node.file, where.position), maxDepth, depth + 1), propertyType: '' };
    } else {
      fail(where, `class member must be a string, number, boolean or object, got ${describeJson(v)}`);
    }
  }
  return out;
}
