/**
 * The content file container: round trip, alignment, and every corruption
 * class refused with a ContentFileError naming file, section and offset;
 * random and mutated bytes give nothing else.
 */
import fc from 'fast-check';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FORMAT_VERSION, FileKind, Header, SECTION_ALIGN, TableEntry, readContainer, tableEnd } from '../../../src/content/pack/container.ts';
import { sectionsHash, writeContainer } from '../../../src/content/pack/container-write.ts';
import { onlyContentErrors, refusal } from './helpers.ts';

const F = 'zones/town.tpak';

function sample(): Uint8Array {
  return writeContainer(FileKind.ZONE, [
    { id: 'AAAA', bytes: new Uint8Array([1, 2, 3]) },
    { id: 'BBBB', bytes: new Uint8Array(17).fill(7) },
    { id: 'EMPT', bytes: new Uint8Array(0) },
    { id: 'CCCC', bytes: new Uint8Array([9]) },
  ]);
}

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const entry = (i: number, field: number) => tableEnd(i) + field;

describe('readContainer', () => {
  it('round-trips sections as views, 8-byte aligned, with the hash of the sections', () => {
    const bytes = sample();
    const c = readContainer(bytes, F, FileKind.ZONE);
    expect(c.version).toBe(FORMAT_VERSION);
    expect(c.kind).toBe(FileKind.ZONE);
    expect([...c.sections.keys()]).toEqual(['AAAA', 'BBBB', 'EMPT', 'CCCC']);
    expect([...c.sections.get('AAAA')!]).toEqual([1, 2, 3]);
    expect(c.sections.get('BBBB')!.length).toBe(17);
    for (const s of c.sections.values()) {
      expect(s.buffer).toBe(bytes.buffer);
      expect(s.byteOffset % SECTION_ALIGN).toBe(0);
    }
    const hash = Buffer.from(sectionsHash([...c.sections].map(([id, b]) => ({ id, bytes: b })))).toString('hex');
    expect(c.hash).toBe(hash);
    expect(c.hash).toMatch(/^[0-9a-f]{32}$/);
  });

  it('reads from a SharedArrayBuffer and from a misaligned copy', () => {
    const bytes = sample();
    const sab = new SharedArrayBuffer(bytes.length);
    new Uint8Array(sab).set(bytes);
    expect(readContainer(new Uint8Array(sab), F).sections.get('CCCC')![0]).toBe(9);
    const odd = new Uint8Array(bytes.length + 1).subarray(1);
    odd.set(bytes);
    expect(readContainer(odd, F).sections.get('CCCC')![0]).toBe(9);
  });

  it('names the header on bad magic, version, kind and length', () => {
    const m = sample();
    m[0] ^= 0xff;
    expect(refusal(() => readContainer(m, F), F, 'header').message).toMatch(/bad magic/);
    const v = sample();
    view(v).setUint16(Header.version, FORMAT_VERSION + 1, true);
    const ve = refusal(() => readContainer(v, F), F, 'header');
    expect(ve.offset).toBe(Header.version);
    expect(ve.message).toMatch(/format version 2, this server reads version 1; rebuild the content with npm run content/);
    const k = sample();
    view(k).setUint16(Header.kind, 99, true);
    expect(refusal(() => readContainer(k, F), F, 'header').message).toMatch(/unknown file kind 99/);
    expect(refusal(() => readContainer(sample(), F, FileKind.CONTENT), F, 'header').message).toMatch(/is a zone file, expected a content file/);
    expect(refusal(() => readContainer(new Uint8Array(10), F), F, 'header').message).toMatch(/shorter than the 32-byte header/);
    const extended = new Uint8Array(sample().length + 8);
    extended.set(sample());
    expect(refusal(() => readContainer(extended, F), F, 'header').offset).toBe(Header.fileLength);
  });

  it('names the section when the file is truncated at or inside any section', () => {
    const bytes = sample();
    const c = readContainer(bytes, F);
    const cuts = new Set<number>();
    for (const [id, off] of c.offsets) {
      cuts.add(off);
      cuts.add(off + c.sections.get(id)!.length - 1);
    }
    for (const cut of [...cuts].filter((n) => n > tableEnd(4) && n < bytes.length)) {
      const err = refusal(() => readContainer(bytes.subarray(0, cut), F), F);
      expect(err.message).toMatch(/past the end|truncated/);
      expect(['AAAA', 'BBBB', 'EMPT', 'CCCC', 'header']).toContain(err.section);
    }
    // Cut inside the table: the header says how many entries there are.
    expect(refusal(() => readContainer(bytes.subarray(0, tableEnd(2)), F), F, 'header').message).toMatch(/table of 4 sections needs/);
  });

  it('refuses a CRC mismatch, naming the section and its offset', () => {
    const bytes = sample();
    const off = readContainer(bytes, F).offsets.get('BBBB')!;
    bytes[off + 3] ^= 1;
    const err = refusal(() => readContainer(bytes, F), F, 'BBBB');
    expect(err.offset).toBe(off);
    expect(err.message).toMatch(/CRC32 mismatch/);
  });

  it('refuses misaligned, overlapping, out-of-bounds, in-table and duplicate sections', () => {
    const set = (i: number, field: number, value: number) => {
      const b = sample();
      view(b).setUint32(entry(i, field), value, true);
      return b;
    };
    const c = readContainer(sample(), F);
    expect(refusal(() => readContainer(set(1, TableEntry.offset, c.offsets.get('BBBB')! + 4), F), F, 'section table').message).toMatch(/not a multiple of 8/);
    expect(refusal(() => readContainer(set(1, TableEntry.offset, 8), F), F, 'section table').message).toMatch(/inside the header or table/);
    expect(refusal(() => readContainer(set(1, TableEntry.length, 1 << 30), F), F, 'BBBB').message).toMatch(/past the end/);
    const overlap = set(1, TableEntry.offset, c.offsets.get('AAAA')!);
    // Give it the right CRC, so only the overlap is wrong.
    const ov = readContainer(sample(), F).sections.get('AAAA')!;
    view(overlap).setUint32(entry(1, TableEntry.length), ov.length, true);
    view(overlap).setUint32(entry(1, TableEntry.crc), crc32(ov), true);
    expect(refusal(() => readContainer(overlap, F), F).message).toMatch(/overlaps section/);
    const dup = set(1, TableEntry.id, view(sample()).getUint32(entry(0, TableEntry.id), true));
    expect(refusal(() => readContainer(dup, F), F, 'section table').message).toMatch(/appears twice/);
    expect(refusal(() => readContainer(set(0, TableEntry.id, 0x01020304), F), F, 'section table').message).toMatch(/printable ASCII/);
    const many = sample();
    view(many).setUint32(Header.sectionCount, 100_000, true);
    expect(refusal(() => readContainer(many, F), F, 'header').message).toMatch(/at most 256/);
  });

  it('random bytes and mutated files give only ContentFileError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => void onlyContentErrors(() => readContainer(b, F))), { numRuns: 500 });
    const base = sample();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 6 }), fc.nat(base.length), (flips, len) => {
        const b = base.slice(0, Math.max(len, 1));
        for (const [at, x] of flips) if (at < b.length) b[at] ^= x;
        onlyContentErrors(() => readContainer(b, F));
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses what it cannot write', () => {
    expect(() => writeContainer(FileKind.ZONE, [{ id: 'AB', bytes: new Uint8Array(1) }])).toThrow(/four printable ASCII/);
    expect(() => writeContainer(FileKind.ZONE, [{ id: 'ABCD', bytes: new Uint8Array(1) }, { id: 'ABCD', bytes: new Uint8Array(1) }])).toThrow(/twice/);
  });
});
