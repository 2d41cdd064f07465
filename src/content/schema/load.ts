import { CONTENT_KINDS, FILE_SCHEMAS, contentFileName, type Content, type ContentKind } from './kinds.ts';
import { formatContentError, issuesToErrors, lineColumn, locatePath, type ContentError } from './errors.ts';
import { crossCheckLocated } from './references.ts';

/** Reads a file of the content folder by name (`npcs.json`); undefined when it does not exist. */
export type ContentReader = (name: string) => string | undefined;

/** Largest content file, in UTF-16 code units (about 4 MiB of ASCII). */
export const MAX_FILE_CHARS = 4 * 1024 * 1024;
/** Errors reported per file before the rest are summarised. */
export const MAX_ERRORS_PER_FILE = 100;
/** Errors located by line and column per file (locating re-scans the text). */
const MAX_LOCATED = 25;

export type FileResult<K extends ContentKind> = { ok: true; entries: Content[K] } | { ok: false; errors: ContentError[] };

export type LoadResult =
  | {
      ok: true;
      content: Content;
      /** Files the reader did not have; their kinds are empty. */
      missing: string[];
    }
  | { ok: false; errors: ContentError[] };

/** Position of a JSON.parse syntax error, from V8's message ("... at position 12 (line 1 column 13)"). */
function syntaxErrorOffset(message: string, text: string): number | undefined {
  const pos = /at position (\d+)/.exec(message);
  if (pos) return Number(pos[1]);
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) {
    let line = 1;
    let i = 0;
    const want = Number(lc[1]);
    while (line < want && i < text.length) if (text.charCodeAt(i++) === 10) line++;
    return i + Number(lc[2]) - 1;
  }
  if (/unexpected end/i.test(message)) return text.length;
  return offendingPrefix(text);
}

/**
 * For V8 messages without a position ("Unexpected token 'x', ... is not valid
 * JSON"): the shortest prefix of the text that fails before its own end ends
 * at the offending character. Binary search, O(log n) parses.
 */
function offendingPrefix(text: string): number | undefined {
  const failsInside = (k: number): boolean => {
    try {
      JSON.parse(text.slice(0, k));
      return false;
    } catch (e) {
      const m = e instanceof Error ? e.message : '';
      const pos = /at position (\d+)/.exec(m);
      if (pos) return Number(pos[1]) < k;
      return !/unexpected end/i.test(m);
    }
  };
  if (!failsInside(text.length)) return undefined;
  let lo = 1;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (failsInside(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

function syntaxError(file: string, text: string, e: unknown): ContentError {
  const raw = e instanceof Error ? e.message : String(e);
  const offset = syntaxErrorOffset(raw, text);
  const token = /^Unexpected token '([\s\S])'/.exec(raw);
  const detail = token ? `unexpected character ${JSON.stringify(token[1])}` : raw.replace(/\s*(?:in JSON )?at position \d+(?: \(line \d+ column \d+\))?/, '');
  const message = `malformed JSON: ${detail}`;
  return offset === undefined ? { file, path: '$', message } : { file, path: '$', message, ...lineColumn(text, offset) };
}

function capErrors(file: string, errors: ContentError[]): ContentError[] {
  if (errors.length <= MAX_ERRORS_PER_FILE) return errors;
  const rest = errors.length - MAX_ERRORS_PER_FILE;
  return [...errors.slice(0, MAX_ERRORS_PER_FILE), { file, path: '$', message: `…and ${rest} more error${rest === 1 ? '' : 's'}` }];
}

/**
 * Parses and validates one content file's text against its kind's schema.
 * Never throws: malformed JSON, a wrong shape or a bad entry come back as
 * errors naming the file, the JSON path and, when known, line and column.
 */
export function parseContentFile<K extends ContentKind>(kind: K, text: string, file: string = contentFileName(kind)): FileResult<K> {
  if (typeof text !== 'string') return { ok: false, errors: [{ file, path: '$', message: 'reader returned something other than text' }] };
  if (text.length > MAX_FILE_CHARS)
    return { ok: false, errors: [{ file, path: '$', message: `file too large: ${text.length} characters (at most ${MAX_FILE_CHARS})` }] };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // editors' byte-order mark
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (e) {
    return { ok: false, errors: [syntaxError(file, body, e)] };
  }
  const errors: ContentError[] = [];
  if (data !== null && typeof data === 'object' && !Array.isArray(data) && Object.hasOwn(data, '$schema')) {
    const ref = (data as { $schema?: unknown }).$schema;
    const want = `${kind}.schema.json`;
    if (typeof ref === 'string' && ref.length <= 512 && !(ref === want || ref.endsWith(`/${want}`)))
      errors.push({ file, path: '$.$schema', message: `points at ${JSON.stringify(ref)}; expected a path ending in "${want}"`, ...lineColumn(body, locatePath(body, ['$schema'])) });
  }
  const parsed = FILE_SCHEMAS[kind].safeParse(data);
  if (parsed.success && errors.length === 0) return { ok: true, entries: (parsed.data as Record<string, unknown>)[kind] as Content[K] };
  if (!parsed.success) {
    const converted = issuesToErrors(file, parsed.error.issues, data);
    converted.forEach(({ segments, error }, i) => {
      errors.push(i < MAX_LOCATED ? { ...error, ...lineColumn(body, locatePath(body, segments)) } : error);
    });
  }
  return { ok: false, errors: capErrors(file, errors) };
}

/**
 * Loads the content folder: one JSON file per kind (`npcs.json`, `items.json`,
 * `loot.json`, `skills.json`, `classes.json`, `quests.json`, `events.json`),
 * each validated on its own, then, when all are valid, checked together
 * (duplicate ids, references between files, quest prerequisite cycles).
 * A missing file counts as an empty kind and is listed in `missing`.
 * Never throws, whatever the reader returns or throws.
 */
export function loadContent(read: ContentReader): LoadResult {
  const errors: ContentError[] = [];
  const missing: string[] = [];
  const content: Content = { npcs: [], items: [], loot: [], skills: [], classes: [], quests: [], events: [] };
  const texts = new Map<string, string>();
  for (const kind of CONTENT_KINDS) {
    const file = contentFileName(kind);
    let text: string | undefined;
    try {
      text = read(file);
    } catch (e) {
      errors.push({ file, path: '$', message: `cannot read: ${e instanceof Error ? e.message : String(e)}` });
      continue;
    }
    if (text === undefined) {
      missing.push(file);
      continue;
    }
    const r = parseContentFile(kind, text, file);
    if (typeof text === 'string') texts.set(file, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    if (r.ok) (content as Record<ContentKind, unknown[]>)[kind] = r.entries;
    else errors.push(...r.errors);
  }
  if (errors.length > 0) return { ok: false, errors };
  const cross = crossCheckLocated(content);
  if (cross.length > 0) {
    const located = new Map<string, number>();
    const all = cross.map(({ segments, error }) => {
      const text = texts.get(error.file);
      const n = located.get(error.file) ?? 0;
      if (text === undefined || n >= MAX_LOCATED) return error;
      located.set(error.file, n + 1);
      return { ...error, ...lineColumn(text, locatePath(text, segments)) };
    });
    return { ok: false, errors: all };
  }
  return { ok: true, content, missing };
}

/** All errors of a failed load, one per line, for logs and the command line. */
export function formatContentErrors(errors: readonly ContentError[]): string {
  return errors.map(formatContentError).join('\n');
}
