import type { z } from 'zod';

/** One problem found in the content, located by file and JSON path. */
export interface ContentError {
  /** File name as given to the reader, e.g. `npcs.json`. */
  file: string;
  /** JSONPath of the offending value, e.g. `$.npcs[3].leashRadius`; `$` for the whole file. */
  path: string;
  message: string;
  /** 1-based line and column in the file, when known. */
  line?: number;
  column?: number;
}

/** `npcs.json:14:7 $.npcs[3].leashRadius: must be ≥ aggroRadius` (line/column only when known). */
export function formatContentError(e: ContentError): string {
  const where = e.line !== undefined ? `${e.file}:${e.line}:${e.column ?? 1}` : e.file;
  return `${where} ${e.path}: ${e.message}`;
}

export type PathSegment = string | number;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['npcs', 3, 'leashRadius']` → `$.npcs[3].leashRadius`; odd keys are quoted: `$["a b"]`. */
export function jsonPath(segments: readonly PathSegment[]): string {
  let out = '$';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (IDENT.test(s)) out += `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** 1-based line and column of a UTF-16 offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const end = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

// ------------------------------------------------------------------ locating paths in JSON text

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
function skipWs(t: string, i: number): number {
  while (i < t.length && isWs(t.charCodeAt(i))) i++;
  return i;
}
/** From the opening quote at i, returns the index after the closing quote. */
function skipString(t: string, i: number): number {
  i++;
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c === 0x5c) i += 2;
    else if (c === 0x22) return i + 1;
    else i++;
  }
  return i;
}
/** Skips one JSON value starting at i (iteratively: no recursion on deep nesting). */
function skipValue(t: string, i: number): number {
  i = skipWs(t, i);
  let depth = 0;
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c === 0x22) {
      i = skipString(t, i);
      if (depth === 0) return i;
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (depth === 0) return i;
      depth--;
      if (depth === 0) return i + 1;
    } else if (depth === 0 && (c === 0x2c || isWs(c))) return i;
    i++;
  }
  return i;
}

/**
 * Offset in `text` (valid JSON) of the value at `segments`, or of the key for
 * an object member; the deepest existing ancestor when the path is absent
 * (e.g. a missing required key points at its object). With duplicate keys the
 * last one wins, as in JSON.parse.
 */
export function locatePath(text: string, segments: readonly PathSegment[]): number {
  let i = skipWs(text, 0);
  let at = i;
  for (const seg of segments) {
    const c = text.charCodeAt(i);
    if (c === 0x7b && typeof seg === 'string') {
      let j = skipWs(text, i + 1);
      let found = -1;
      let foundKey = -1;
      while (j < text.length && text.charCodeAt(j) === 0x22) {
        const keyStart = j;
        const keyEnd = skipString(text, j);
        let key: unknown;
        try {
          key = JSON.parse(text.slice(keyStart, keyEnd));
        } catch {
          return at;
        }
        j = skipWs(text, keyEnd);
        j = skipWs(text, j + 1); // ':'
        if (key === seg) {
          found = j;
          foundKey = keyStart;
        }
        j = skipWs(text, skipValue(text, j));
        if (text.charCodeAt(j) !== 0x2c) break;
        j = skipWs(text, j + 1);
      }
      if (found < 0) return at;
      i = found;
      at = foundKey;
    } else if (c === 0x5b && typeof seg === 'number') {
      let j = skipWs(text, i + 1);
      let n = 0;
      while (n < seg && j < text.length && text.charCodeAt(j) !== 0x5d) {
        j = skipWs(text, skipValue(text, j));
        if (text.charCodeAt(j) !== 0x2c) return at;
        j = skipWs(text, j + 1);
        n++;
      }
      if (n !== seg || j >= text.length || text.charCodeAt(j) === 0x5d) return at;
      i = j;
      at = j;
    } else {
      return at;
    }
  }
  return at;
}

// ------------------------------------------------------------------ zod issues → content errors

function valueAt(root: unknown, segments: readonly PathSegment[]): { found: boolean; value: unknown } {
  let v: unknown = root;
  for (const s of segments) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, s)) return { found: false, value: undefined };
    v = (v as Record<string | number, unknown>)[s];
  }
  return { found: true, value: v };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return Number.isInteger(v) ? `the integer ${v}` : Number.isFinite(v) ? `the number ${v}` : String(v);
  if (typeof v === 'string') return v.length > 40 ? `a string of ${v.length} characters` : `the string ${JSON.stringify(v)}`;
  if (typeof v === 'object') return 'an object';
  return typeof v;
}

function listValues(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

function toSegments(path: readonly PropertyKey[]): PathSegment[] {
  return path.map((p) => (typeof p === 'number' ? p : String(p)));
}

/** Converts zod issues to content errors with readable messages (unknown keys become one error each). */
export function issuesToErrors(file: string, issues: readonly z.core.$ZodIssue[], input: unknown): { segments: PathSegment[]; error: ContentError }[] {
  const out: { segments: PathSegment[]; error: ContentError }[] = [];
  const push = (segments: PathSegment[], message: string) => out.push({ segments, error: { file, path: jsonPath(segments), message } });
  for (const issue of issues) {
    const segs = toSegments(issue.path);
    const at = valueAt(input, segs);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const k of issue.keys) push([...segs, k], `unknown key ${JSON.stringify(k)}`);
        break;
      case 'invalid_type':
        if (!at.found) push(segs, `is required (${issue.expected})`);
        else if (issue.expected === 'int' && typeof at.value === 'number' && Number.isFinite(at.value))
          push(segs, `must be an integer, got ${describe(at.value)}`);
        else push(segs, `expected ${issue.expected === 'int' ? 'an integer' : issue.expected}, got ${describe(at.value)}`);
        break;
      case 'too_small': {
        const min = Number(issue.minimum);
        if (issue.origin === 'string') push(segs, `must have at least ${min} character${min === 1 ? '' : 's'}`);
        else if (issue.origin === 'array') push(segs, `must have at least ${min} entr${min === 1 ? 'y' : 'ies'}`);
        else push(segs, `must be ${issue.inclusive === false ? '>' : '≥'} ${min}, got ${describe(at.value)}`);
        break;
      }
      case 'too_big': {
        const max = Number(issue.maximum);
        const len = typeof at.value === 'string' || Array.isArray(at.value) ? at.value.length : undefined;
        if (issue.origin === 'string') push(segs, `must have at most ${max} characters, has ${len}`);
        else if (issue.origin === 'array') push(segs, `must have at most ${max} entries, has ${len}`);
        else push(segs, `must be ${issue.inclusive === false ? '<' : '≤'} ${max}, got ${describe(at.value)}`);
        break;
      }
      case 'invalid_value':
        push(segs, `must be one of ${listValues(issue.values)}, got ${describe(at.value)}`);
        break;
      case 'invalid_union':
        if ('discriminator' in issue && Array.isArray((issue as { options?: unknown }).options)) {
          const opts = (issue as { options: unknown[] }).options;
          push(segs, at.found ? `must be one of ${listValues(opts)}, got ${describe(at.value)}` : `is required (one of ${listValues(opts)})`);
        } else push(segs, issue.message);
        break;
      default:
        push(segs, issue.message);
    }
  }
  return out;
}
