import { crc32 } from 'node:zlib';
import { ContentFileError } from './errors.ts';

/**
 * Tessera content file container, the one binary format of the compiled
 * content (docs/content.md). Little-endian:
 *
 *   header (32 bytes)
 *     0  "TSPK"                magic
 *     4  u16 format version    FORMAT_VERSION; any other is refused
 *     6  u16 file kind         FileKind
 *     8  u32 section count     at most MAX_SECTIONS
 *    12  u32 file length       the whole file, so a truncation is caught
 *    16  16 bytes content hash first half of SHA-256 over the sections
 *   section table: count × 16 bytes
 *     u32 id (4 ASCII chars) | u32 offset | u32 length | u32 CRC32 of the bytes
 *   sections, each starting at a multiple of 8 (zero padding between), so a
 *   typed array of any element size views a section in place.
 *
 * The hash is computed by the writer (container-write.ts) and only compared
 * by readers, so reading needs no crypto.
 */
export const Header = {
  magic: 0,
  version: 4,
  kind: 6,
  sectionCount: 8,
  fileLength: 12,
  hash: 16,
  bytes: 32,
} as const;

export const TableEntry = { id: 0, offset: 4, length: 8, crc: 12, bytes: 16 } as const;

export const MAGIC = 'TSPK';
export const FORMAT_VERSION = 1;
export const HASH_BYTES = 16;
export const SECTION_ALIGN = 8;
export const MAX_SECTIONS = 256;

export const FileKind = { ZONE: 1, CONTENT: 2 } as const;
export type FileKind = (typeof FileKind)[keyof typeof FileKind];
const KIND_NAMES: Record<number, string> = { [FileKind.ZONE]: 'zone', [FileKind.CONTENT]: 'content' };

export interface Container {
  version: number;
  kind: FileKind;
  /** The content hash as 32 hex digits. */
  hash: string;
  /** Section id → its bytes, a view into the file (no copy). */
  sections: Map<string, Uint8Array>;
  /** Section id → its file offset, for error messages of the readers above. */
  offsets: Map<string, number>;
}

/** A section id is four printable ASCII characters. */
export function isSectionId(id: string): boolean {
  return /^[\x20-\x7e]{4}$/.test(id);
}

export function sectionIdWord(id: string): number {
  return (id.charCodeAt(0) | (id.charCodeAt(1) << 8) | (id.charCodeAt(2) << 16) | (id.charCodeAt(3) << 24)) >>> 0;
}

function wordSectionId(w: number): string {
  return String.fromCharCode(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24);
}

/** Where the section table ends for `count` sections. */
export function tableEnd(count: number): number {
  return Header.bytes + count * TableEntry.bytes;
}

/**
 * Reads and validates a container: magic, version, kind (`expect` when given),
 * the section table (ids, alignment, bounds, overlaps) and every section's
 * CRC. Throws ContentFileError naming the file, section and offset, and
 * nothing else, whatever the bytes.
 */
export function readContainer(input: Uint8Array, file: string, expect?: FileKind): Container {
  const header = (offset: number, reason: string): never => {
    throw new ContentFileError(file, 'header', offset, reason);
  };
  if (!(input instanceof Uint8Array)) header(0, 'not a byte array');
  // Sections are viewed as wider typed arrays, which need an aligned start;
  // a buffer we allocate is, a caller's misaligned slice gets one copy.
  const bytes = input.byteOffset % SECTION_ALIGN === 0 ? input : input.slice();
  if (bytes.length < Header.bytes) header(bytes.length, `file of ${bytes.length} bytes is shorter than the ${Header.bytes}-byte header`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (wordSectionId(v.getUint32(Header.magic, true)) !== MAGIC) header(Header.magic, `bad magic: not a Tessera content file (expected "${MAGIC}")`);
  const version = v.getUint16(Header.version, true);
  if (version !== FORMAT_VERSION) {
    header(Header.version, `format version ${version}, this server reads version ${FORMAT_VERSION}; rebuild the content with npm run content`);
  }
  const kind = v.getUint16(Header.kind, true);
  if (KIND_NAMES[kind] === undefined) header(Header.kind, `unknown file kind ${kind}`);
  if (expect !== undefined && kind !== expect) header(Header.kind, `is a ${KIND_NAMES[kind]} file, expected a ${KIND_NAMES[expect]} file`);
  const count = v.getUint32(Header.sectionCount, true);
  if (count > MAX_SECTIONS) header(Header.sectionCount, `${count} sections; at most ${MAX_SECTIONS}`);
  const end = tableEnd(count);
  if (bytes.length < end) header(Header.sectionCount, `a table of ${count} sections needs ${end} bytes; the file has ${bytes.length}`);
  const entries: { id: string; offset: number; length: number; crc: number; at: number }[] = [];
  for (let i = 0; i < count; i++) {
    const at = tableEnd(i);
    const id = wordSectionId(v.getUint32(at + TableEntry.id, true));
    const table = (delta: number, reason: string): never => {
      throw new ContentFileError(file, 'section table', at + delta, `entry ${i}${isSectionId(id) ? ` (${id})` : ''}: ${reason}`);
    };
    if (!isSectionId(id)) table(TableEntry.id, 'section id is not four printable ASCII characters');
    if (entries.some((e) => e.id === id)) table(TableEntry.id, `section ${id} appears twice`);
    const offset = v.getUint32(at + TableEntry.offset, true);
    const length = v.getUint32(at + TableEntry.length, true);
    if (offset % SECTION_ALIGN !== 0) table(TableEntry.offset, `section starts at ${offset}, not a multiple of ${SECTION_ALIGN}`);
    if (offset < end) table(TableEntry.offset, `section starts at ${offset}, inside the header or table (which end at ${end})`);
    if (offset + length > bytes.length) {
      throw new ContentFileError(file, id, offset, `section of ${length} bytes runs to ${offset + length}, past the end of the ${bytes.length}-byte file (truncated?)`);
    }
    entries.push({ id, offset, length, crc: v.getUint32(at + TableEntry.crc, true), at });
  }
  const fileLength = v.getUint32(Header.fileLength, true);
  if (fileLength !== bytes.length) header(Header.fileLength, `header says ${fileLength} bytes, the file has ${bytes.length} (truncated or extended)`);
  const sorted = [...entries].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    if (sorted[i].offset < prev.offset + prev.length) {
      throw new ContentFileError(file, sorted[i].id, sorted[i].offset, `section overlaps section ${prev.id} (${prev.offset}..${prev.offset + prev.length})`);
    }
  }
  const sections = new Map<string, Uint8Array>();
  const offsets = new Map<string, number>();
  for (const e of entries) {
    const data = bytes.subarray(e.offset, e.offset + e.length);
    if (crc32(data) !== e.crc) throw new ContentFileError(file, e.id, e.offset, 'CRC32 mismatch: the section is corrupt');
    sections.set(e.id, data);
    offsets.set(e.id, e.offset);
  }
  let hash = '';
  for (let i = 0; i < HASH_BYTES; i++) hash += bytes[Header.hash + i].toString(16).padStart(2, '0');
  return { version, kind: kind as FileKind, hash, sections, offsets };
}

/** A section the reader needs; throws ContentFileError naming it when the file lacks it. */
export function requireSection(c: Container, file: string, id: string): Uint8Array {
  const s = c.sections.get(id);
  if (s === undefined) throw new ContentFileError(file, id, 0, `${KIND_NAMES[c.kind]} file has no section ${id}`);
  return s;
}
