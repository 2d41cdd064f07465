import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { fail, messageOf, type Where } from './errors.ts';

/**
 * An XML element as the readers walk it: fast-xml-parser's ordered output
 * (order matters: layers of different kinds interleave) turned into one node
 * type that knows its parent, so any error can name its element path.
 */
export interface XmlElement {
  name: string;
  attrs: { [name: string]: string };
  children: XmlElement[];
  /** Concatenated text and CDATA content. */
  text: string;
  parent: XmlElement | null;
  /** Index among siblings of the same name, and how many there are. */
  index: number;
  siblings: number;
  file: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  // Property text values may start or end with meaningful whitespace.
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Entity expansion stays bounded by fast-xml-parser's defaults (maxTotalExpansions etc.).
  processEntities: true,
  htmlEntities: false,
});

type OrderedNode = { [key: string]: unknown };

/** Parses an XML document into its root element; malformed XML gives a TiledError with line and column. */
export function parseXml(file: string, text: string): XmlElement {
  let valid: ReturnType<typeof XMLValidator.validate>;
  try {
    valid = XMLValidator.validate(text);
  } catch (err) {
    fail({ file, position: '' }, `malformed XML: ${messageOf(err)}`, err);
  }
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    fail({ file, position: `line ${line}, column ${col}` }, `malformed XML: ${msg}`);
  }
  let nodes: unknown;
  try {
    nodes = parser.parse(text);
  } catch (err) {
    fail({ file, position: '' }, `malformed XML: ${messageOf(err)}`, err);
  }
  const root = Array.isArray(nodes) ? convertChildren(file, nodes as OrderedNode[], null).children[0] : undefined;
  if (root === undefined) fail({ file, position: '' }, 'XML document has no root element');
  return root;
}

function convertChildren(file: string, nodes: OrderedNode[], parent: XmlElement | null): { children: XmlElement[]; text: string } {
  const children: XmlElement[] = [];
  let text = '';
  for (const node of nodes) {
    for (const key of Object.keys(node)) {
      if (key === ':@') continue;
      const value = node[key];
      if (key === '#text') {
        text += String(value);
        continue;
      }
      const el: XmlElement = {
        name: key,
        attrs: readAttrs(node[':@']),
        children: [],
        text: '',
        parent,
        index: 0,
        siblings: 1,
        file,
      };
      // The parser caps nesting (maxNestedTags), so this recursion is bounded.
      const inner = convertChildren(file, Array.isArray(value) ? (value as OrderedNode[]) : [], el);
      el.children = inner.children;
      el.text = inner.text;
      children.push(el);
    }
  }
  const counts = new Map<string, number>();
  for (const child of children) {
    const n = counts.get(child.name) ?? 0;
    child.index = n;
    counts.set(child.name, n + 1);
  }
  for (const child of children) child.siblings = counts.get(child.name) ?? 1;
  return { children, text };
}

function readAttrs(raw: unknown): { [name: string]: string } {
  const attrs = Object.create(null) as { [name: string]: string };
  if (raw !== null && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw)) attrs[k] = String(v);
  }
  return attrs;
}

/** Element path such as `map/layer[name=ground]/data`. */
export function xmlPath(el: XmlElement): string {
  const parts: string[] = [];
  for (let e: XmlElement | null = el; e !== null; e = e.parent) {
    const name = e.attrs['name'];
    const id = e.attrs['id'];
    if (name !== undefined && name !== '') parts.push(`${e.name}[name=${name}]`);
    else if (id !== undefined) parts.push(`${e.name}[id=${id}]`);
    else if (e.siblings > 1) parts.push(`${e.name}[${e.index}]`);
    else parts.push(e.name);
  }
  return parts.reverse().join('/');
}

export function whereXml(el: XmlElement, suffix = ''): Where {
  return { file: el.file, position: xmlPath(el) + suffix };
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

export function childNamed(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

export function hasAttr(el: XmlElement, name: string): boolean {
  return el.attrs[name] !== undefined;
}

export function attrString(el: XmlElement, name: string, fallback?: string): string {
  const v = el.attrs[name];
  if (v !== undefined) return v;
  if (fallback === undefined) fail(whereXml(el), `missing attribute "${name}"`);
  return fallback;
}

const INT_RE = /^[+-]?\d+$/;
const NUM_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses an integer attribute within [min, max]. */
export function attrInt(el: XmlElement, name: string, fallback?: number, min = -(2 ** 31), max = 2 ** 32 - 1): number {
  const v = el.attrs[name];
  if (v === undefined) {
    if (fallback === undefined) fail(whereXml(el), `missing attribute "${name}"`);
    return fallback;
  }
  const s = v.trim();
  const n = Number(s);
  if (!INT_RE.test(s) || !Number.isSafeInteger(n)) fail(whereXml(el), `attribute "${name}" must be an integer, got "${v}"`);
  if (n < min || n > max) fail(whereXml(el), `attribute "${name}" must be in [${min}, ${max}], got ${n}`);
  return n;
}

/** Parses a finite decimal attribute. */
export function attrNumber(el: XmlElement, name: string, fallback?: number): number {
  const v = el.attrs[name];
  if (v === undefined) {
    if (fallback === undefined) fail(whereXml(el), `missing attribute "${name}"`);
    return fallback;
  }
  const s = v.trim();
  const n = Number(s);
  if (!NUM_RE.test(s) || !Number.isFinite(n)) fail(whereXml(el), `attribute "${name}" must be a number, got "${v}"`);
  return n;
}

/** Tiled writes booleans as 0/1 in attributes and true/false in property values; both are accepted. */
export function attrBool(el: XmlElement, name: string, fallback: boolean): boolean {
  const v = el.attrs[name];
  if (v === undefined) return fallback;
  return parseBool(v, whereXml(el), `attribute "${name}"`);
}

export function parseBool(v: string, where: Where, what: string): boolean {
  switch (v.trim()) {
    case '1':
    case 'true':
      return true;
    case '0':
    case 'false':
      return false;
    default:
      return fail(where, `${what} must be true/false or 1/0, got "${v}"`);
  }
}
