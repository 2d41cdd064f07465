import { expect } from 'vitest';
import { ContentFileError } from '../../../src/content/pack/errors.ts';
import { loadContent, type Content } from '../../../src/content/schema/index.ts';
import { fixtureTexts, readerOf } from '../schema/fixture.ts';

/** Runs `fn`; anything thrown other than ContentFileError fails the test. Returns the error, if any. */
export function onlyContentErrors(fn: () => unknown): ContentFileError | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (!(e instanceof ContentFileError)) throw new Error(`threw ${String(e)}, not a ContentFileError`, { cause: e });
    return e;
  }
}

/** The error `fn` throws, checked to be a ContentFileError naming `file`, and the section when given. */
export function refusal(fn: () => unknown, file: string, section?: string): ContentFileError {
  const e = onlyContentErrors(fn);
  expect(e, 'expected a ContentFileError').toBeInstanceOf(ContentFileError);
  const err = e as ContentFileError;
  expect(err.file).toBe(file);
  expect(err.message).toContain(`${file}: ${err.section} at offset ${err.offset}: `);
  if (section !== undefined) expect(err.section).toBe(section);
  return err;
}

/** The validated content fixtures (test/content/fixtures/content). */
export function fixtureContent(): Content {
  const r = loadContent(readerOf(fixtureTexts()));
  if (!r.ok) throw new Error(`content fixtures do not load: ${r.errors.map((e) => e.message).join('; ')}`);
  return r.content;
}
