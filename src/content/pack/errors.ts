/**
 * The one error a content file reader throws. Its message names the file,
 * the section (a four-letter id, or `header` / `section table`) and the byte
 * offset, so a corrupt or mismatched build can be told apart from a bug.
 */
export class ContentFileError extends Error {
  readonly file: string;
  readonly section: string;
  readonly offset: number;
  /** The reason alone, without file, section and offset. */
  readonly reason: string;

  constructor(file: string, section: string, offset: number, reason: string, options?: ErrorOptions) {
    super(`${file}: ${section} at offset ${offset}: ${reason}`, options);
    this.name = 'ContentFileError';
    this.file = file;
    this.section = section;
    this.offset = offset;
    this.reason = reason;
  }
}

/** Where a reader is: which file and section, for the errors it throws. */
export interface FilePlace {
  file: string;
  section: string;
  /** File offset of the section's first byte. */
  base: number;
}

/** Throws a ContentFileError at `at` plus `delta` bytes; typed `never` for use in expressions. */
export function badFile(at: FilePlace, delta: number, reason: string): never {
  throw new ContentFileError(at.file, at.section, at.base + delta, reason);
}
