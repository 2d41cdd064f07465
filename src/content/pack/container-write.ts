import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { FORMAT_VERSION, HASH_BYTES, Header, MAGIC, MAX_SECTIONS, SECTION_ALIGN, TableEntry, isSectionId, sectionIdWord, tableEnd, type FileKind } from './container.ts';

/** One section to write: a four-character id and its bytes. */
export interface SectionInput {
  id: string;
  bytes: Uint8Array;
}

function align(n: number): number {
  return Math.ceil(n / SECTION_ALIGN) * SECTION_ALIGN;
}

/**
 * The content hash of a file: the first 16 bytes of SHA-256 over every
 * section's id, length and bytes, in table order. Compile-side only.
 */
export function sectionsHash(sections: readonly SectionInput[]): Uint8Array {
  const h = createHash('sha256');
  const word = new DataView(new ArrayBuffer(8));
  for (const s of sections) {
    word.setUint32(0, sectionIdWord(s.id), true);
    word.setUint32(4, s.bytes.byteLength, true);
    h.update(new Uint8Array(word.buffer));
    h.update(s.bytes);
  }
  return Uint8Array.from(h.digest().subarray(0, HASH_BYTES));
}

/** Writes a container (container.ts) of `kind` holding `sections` in the order given. */
export function writeContainer(kind: FileKind, sections: readonly SectionInput[]): Uint8Array {
  if (sections.length > MAX_SECTIONS) throw new RangeError(`${sections.length} sections; at most ${MAX_SECTIONS}`);
  const ids = new Set<string>();
  for (const s of sections) {
    if (!isSectionId(s.id)) throw new RangeError(`section id ${JSON.stringify(s.id)} is not four printable ASCII characters`);
    if (ids.has(s.id)) throw new RangeError(`section ${s.id} given twice`);
    ids.add(s.id);
  }
  const offsets: number[] = [];
  let at = align(tableEnd(sections.length));
  for (const s of sections) {
    offsets.push(at);
    at = align(at + s.bytes.byteLength);
  }
  const last = sections.length === 0 ? tableEnd(0) : offsets[offsets.length - 1] + sections[sections.length - 1].bytes.byteLength;
  if (last > 0xffff_ffff) throw new RangeError(`content file of ${last} bytes exceeds the 4 GiB the format addresses`);
  const out = new Uint8Array(last);
  const v = new DataView(out.buffer);
  v.setUint32(Header.magic, sectionIdWord(MAGIC), true);
  v.setUint16(Header.version, FORMAT_VERSION, true);
  v.setUint16(Header.kind, kind, true);
  v.setUint32(Header.sectionCount, sections.length, true);
  v.setUint32(Header.fileLength, last, true);
  out.set(sectionsHash(sections), Header.hash);
  sections.forEach((s, i) => {
    const e = tableEnd(i);
    v.setUint32(e + TableEntry.id, sectionIdWord(s.id), true);
    v.setUint32(e + TableEntry.offset, offsets[i], true);
    v.setUint32(e + TableEntry.length, s.bytes.byteLength, true);
    v.setUint32(e + TableEntry.crc, crc32(s.bytes), true);
    out.set(s.bytes, offsets[i]);
  });
  return out;
}
