import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONTENT_KINDS, type ContentReader } from '../../../src/content/schema/index.ts';

export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/content/', import.meta.url));

/** The valid fixture files: name → text. */
export function fixtureTexts(): Map<string, string> {
  return new Map(CONTENT_KINDS.map((k) => [`${k}.json`, readFileSync(`${FIXTURE_DIR}${k}.json`, 'utf8')]));
}

export function readerOf(files: ReadonlyMap<string, string>): ContentReader {
  return (name) => files.get(name);
}

// Test edits reach anywhere into the fixtures.
type Json = any;

/** A reader over the fixtures with one file's parsed JSON changed by `edit`. */
export function edited(file: string, edit: (json: Json) => void): ContentReader {
  const files = fixtureTexts();
  const json = JSON.parse(files.get(file)!) as Json;
  edit(json);
  files.set(file, JSON.stringify(json, null, 2));
  return readerOf(files);
}

/** A reader over the fixtures with one file's text replaced. */
export function withText(file: string, text: string): ContentReader {
  const files = fixtureTexts();
  files.set(file, text);
  return readerOf(files);
}
