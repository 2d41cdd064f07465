import { badFile, type FilePlace } from './errors.ts';

/**
 * A string table section: u32 count | count × u32 end offset | UTF-8 bytes.
 * String i runs from end[i - 1] (0 for the first) to end[i] in the byte
 * area. Records elsewhere name a string by its index.
 */
export const StringTable = { count: 0, ends: 4, endBytes: 4 } as const;

/** Largest string table: strings are names and ids, not text. */
export const MAX_STRINGS = 1 << 20;

/** Collects strings (each stored once) and writes the section. */
export class StringTableWriter {
  private readonly index = new Map<string, number>();
  private readonly list: string[] = [];

  /** Index of `s`, adding it on first use. */
  add(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }

  bytes(): Uint8Array {
    const enc = new TextEncoder();
    const parts = this.list.map((s) => enc.encode(s));
    const head = StringTable.ends + parts.length * StringTable.endBytes;
    const out = new Uint8Array(head + parts.reduce((n, p) => n + p.length, 0));
    const v = new DataView(out.buffer);
    v.setUint32(StringTable.count, parts.length, true);
    let end = 0;
    parts.forEach((p, i) => {
      out.set(p, head + end);
      end += p.length;
      v.setUint32(StringTable.ends + i * StringTable.endBytes, end, true);
    });
    return out;
  }
}

/** Reads a string table section; throws ContentFileError at the offending byte. */
export function readStringTable(bytes: Uint8Array, at: FilePlace): string[] {
  if (bytes.length < StringTable.ends) badFile(at, 0, `string table of ${bytes.length} bytes has no count`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = v.getUint32(StringTable.count, true);
  const head = StringTable.ends + count * StringTable.endBytes;
  if (count > MAX_STRINGS || head > bytes.length) badFile(at, StringTable.count, `${count} strings do not fit a ${bytes.length}-byte table`);
  const dataLength = bytes.length - head;
  // Browsers refuse to decode a view of shared memory: strings are copied out first.
  const dec = new TextDecoder('utf-8', { fatal: true });
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const endAt = StringTable.ends + i * StringTable.endBytes;
    const end = v.getUint32(endAt, true);
    if (end < start || end > dataLength) badFile(at, endAt, `string ${i} ends at ${end}, outside ${start}..${dataLength}`);
    try {
      out.push(dec.decode(bytes.slice(head + start, head + end)));
    } catch {
      badFile(at, head + start, `string ${i} is not valid UTF-8`);
    }
    start = end;
  }
  if (start !== dataLength) badFile(at, head + start, `${dataLength - start} bytes after the last string`);
  return out;
}

/** The string at `index`, or a ContentFileError at `delta` naming the bad index. */
export function stringAt(strings: readonly string[], index: number, at: FilePlace, delta: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= strings.length) badFile(at, delta, `string index ${index} is outside the string table of ${strings.length}`);
  return strings[index];
}
