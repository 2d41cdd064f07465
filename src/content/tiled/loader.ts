import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fail, messageOf, type Where } from './errors.ts';
import { asObject, type JsonNode } from './json.ts';
import type { TiledLimits } from './model.ts';
import { parseXml, type XmlElement } from './xml.ts';

/**
 * Reads one file. The reader calls it for the map and for every external
 * tileset and template, with paths resolved relative to the file naming them,
 * so tests and the content compiler decide where bytes come from.
 */
export type TiledLoader = (path: string) => Uint8Array | string;

/** Reads from the local file system. */
export const fsLoader: TiledLoader = (path) => readFileSync(path);

/** A loaded document: XML (TMX/TSX/TX) or JSON (TMJ/TSJ/TJ), told apart by content, not extension. */
export type TiledDocument = { kind: 'xml'; root: XmlElement } | { kind: 'json'; root: JsonNode };

/** Resolves `ref` (as written in `fromFile`) to a path for the loader. */
export function resolvePath(fromFile: string, ref: string): string {
  return posix.isAbsolute(ref) ? posix.normalize(ref) : posix.join(posix.dirname(fromFile), ref);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Loads and parses `path`. `from` is the element that names the file, so a
 * missing tileset is reported where it is referenced.
 */
export function loadDocument(loader: TiledLoader, limits: TiledLimits, path: string, from: Where | null): TiledDocument {
  const at: Where = from ?? { file: path, position: '' };
  let content: Uint8Array | string;
  try {
    content = loader(path);
  } catch (err) {
    fail(at, `cannot read "${path}": ${messageOf(err)}`, err);
  }
  let text: string;
  if (typeof content === 'string') {
    text = content;
  } else if (content instanceof Uint8Array) {
    if (content.byteLength > limits.maxFileBytes) fail(at, `"${path}" is ${content.byteLength} bytes, more than the ${limits.maxFileBytes} allowed`);
    try {
      text = utf8.decode(content);
    } catch (err) {
      fail({ file: path, position: '' }, 'file is not valid UTF-8', err);
    }
  } else {
    return fail(at, `loader returned neither bytes nor a string for "${path}"`);
  }
  if (text.length > limits.maxFileBytes) fail(at, `"${path}" is longer than the ${limits.maxFileBytes} characters allowed`);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const first = /\S/.exec(text)?.[0];
  if (first === '<') return { kind: 'xml', root: parseXml(path, text) };
  if (first === '{' || first === '[') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      fail({ file: path, position: '$' }, `malformed JSON: ${messageOf(err)}`, err);
    }
    return { kind: 'json', root: asObject(value, path, '$') };
  }
  return fail({ file: path, position: '' }, 'neither XML nor JSON (expected "<" or "{" first)');
}
