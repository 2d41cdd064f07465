/**
 * Content packs: the NPC table's columns viewed in place, the catalogue
 * re-validated on decode, and only ContentFileError for bad bytes.
 */
import fc from 'fast-check';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { NPC_COLUMNS, NPC_MAX_SKILLS, npcTableOf } from '../../../src/content/npc-table.ts';
import { FileKind, readContainer, tableEnd, TableEntry } from '../../../src/content/pack/container.ts';
import { writeContainer } from '../../../src/content/pack/container-write.ts';
import { ContentSection, columnSection, decodeContentPack, decodeNpcTable, encodeContentPack } from '../../../src/content/pack/content-pack.ts';
import { fixtureContent, onlyContentErrors, refusal } from './helpers.ts';

const F = 'content.tpak';

/** Rewrites one section and its CRC. */
function patchSection(bytes: Uint8Array, id: string, edit: (s: Uint8Array) => void): Uint8Array {
  const out = bytes.slice();
  const c = readContainer(out, F);
  const s = c.sections.get(id)!;
  edit(s);
  const i = [...c.sections.keys()].indexOf(id);
  new DataView(out.buffer).setUint32(tableEnd(i) + TableEntry.crc, crc32(s), true);
  return out;
}

describe('content packs', () => {
  it('round-trip the content and the NPC table', () => {
    const content = fixtureContent();
    const bytes = encodeContentPack(content);
    const { npcs, catalogue } = decodeContentPack(bytes, F);
    expect(catalogue).toEqual(content);
    const want = npcTableOf(content.npcs, content.skills.map((k) => k.id));
    expect(npcs.count).toBe(want.count);
    // Each template's skills, numbered as the skill table numbers them.
    content.npcs.forEach((n, i) => {
      expect(npcs.skillCount[i + 1]).toBe(n.skills.length);
      n.skills.forEach((id, j) => expect(content.skills[npcs.skills[(i + 1) * NPC_MAX_SKILLS + j] - 1].id).toBe(id));
    });
    expect(content.npcs.some((n) => n.skills.length > 0)).toBe(true);
    expect(npcs.ids).toEqual(want.ids);
    for (const [name] of NPC_COLUMNS) {
      expect(npcs[name]).toEqual(want[name]);
      expect(npcs[name].buffer).toBe(bytes.buffer);
    }
  });

  it('refuses an NPC skill the content lacks, and more skills than a template holds', () => {
    const content = fixtureContent();
    const npc = { ...content.npcs[0], skills: ['skill.nowhere'] };
    expect(() => npcTableOf([npc], content.skills.map((k) => k.id))).toThrow(`NPC ${npc.id}: skill skill.nowhere is not in the content's skills`);
    const many = { ...content.npcs[0], skills: Array.from({ length: NPC_MAX_SKILLS + 1 }, () => content.skills[0].id) };
    expect(() => npcTableOf([many], content.skills.map((k) => k.id))).toThrow(/at most 16/);
  });

  it('cells read the table from shared memory without the catalogue', () => {
    const bytes = encodeContentPack(fixtureContent());
    const sab = new SharedArrayBuffer(bytes.length);
    new Uint8Array(sab).set(bytes);
    const npcs = decodeNpcTable(new Uint8Array(sab));
    expect(npcs.health.buffer).toBe(sab);
    expect(npcs.ids.slice(1)).toEqual(fixtureContent().npcs.map((n) => n.id));
  });

  it('the same content gives the same bytes; empty content packs too', () => {
    expect(encodeContentPack(fixtureContent())).toEqual(encodeContentPack(fixtureContent()));
    const empty = { npcs: [], items: [], loot: [], skills: [], classes: [], quests: [], events: [] };
    expect(decodeContentPack(encodeContentPack(empty)).npcs.count).toBe(1);
  });

  it('refuses an out-of-range column value, a missing column, a bad catalogue', () => {
    const good = encodeContentPack(fixtureContent());
    const ai = NPC_COLUMNS.findIndex(([n]) => n === 'ai');
    const badAi = patchSection(good, columnSection(ai), (s) => (s[1] = 9));
    const err = refusal(() => decodeNpcTable(badAi, F), F, columnSection(ai));
    expect(err.message).toMatch(/template 1: ai 9 is out of range/);
    expect(err.offset).toBe(readContainer(good, F).offsets.get(columnSection(ai))! + 1);

    const renamed = patchSection(good, ContentSection.NPC_COLUMN_NAMES, (s) => {
      const i = Buffer.from(s).indexOf('level');
      s[i] = 'x'.charCodeAt(0);
    });
    expect(refusal(() => decodeNpcTable(renamed, F), F, ContentSection.NPC_COLUMN_NAMES).message).toMatch(/no NPC column "level"/);

    const c = readContainer(good, F);
    const sections = [...c.sections].map(([id, bytes]) => ({ id, bytes: id === ContentSection.CATALOGUE ? new TextEncoder().encode('{"npcs": 3}') : bytes }));
    const badJson = writeContainer(FileKind.CONTENT, sections);
    expect(refusal(() => decodeContentPack(badJson, F), F, ContentSection.CATALOGUE).message).toMatch(/catalogue \$\.npcs: .*expected array/);
    const notJson = writeContainer(FileKind.CONTENT, sections.map((s) => (s.id === ContentSection.CATALOGUE ? { ...s, bytes: new Uint8Array([0xff, 0xfe]) } : s)));
    expect(refusal(() => decodeContentPack(notJson, F), F, ContentSection.CATALOGUE).message).toMatch(/not valid UTF-8 JSON/);
  });

  it('refuses a table that does not match the catalogue', () => {
    const a = fixtureContent();
    const b = { ...a, npcs: a.npcs.slice(1) };
    const mixed = readContainer(encodeContentPack(b), F);
    const json = readContainer(encodeContentPack(a), F).sections.get(ContentSection.CATALOGUE)!;
    const bytes = writeContainer(FileKind.CONTENT, [...mixed.sections].map(([id, s]) => ({ id, bytes: id === ContentSection.CATALOGUE ? json : s })));
    expect(refusal(() => decodeContentPack(bytes, F), F, ContentSection.NPC_IDS).message).toMatch(/does not list the templates of the catalogue/);
  });

  it('random and mutated packs give only ContentFileError', () => {
    const base = encodeContentPack(fixtureContent());
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (b) => void onlyContentErrors(() => decodeContentPack(b, F))), { numRuns: 300 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat(base.length), (flips, len) => {
        const b = base.slice(0, Math.max(len, 1));
        for (const [at, x] of flips) if (at < b.length) b[at] ^= x;
        onlyContentErrors(() => decodeContentPack(b, F));
      }),
      { numRuns: 500 },
    );
    // With the CRCs fixed, mutations reach the column and catalogue checks.
    const c = readContainer(base, F);
    const ids = [...c.sections.keys()];
    fc.assert(
      fc.property(fc.constantFrom(...ids), fc.nat(), fc.integer({ min: 1, max: 255 }), (id, at, x) => {
        const len = c.sections.get(id)!.length;
        if (len === 0) return;
        onlyContentErrors(() => decodeContentPack(patchSection(base, id, (s) => (s[at % len] ^= x)), F));
      }),
      { numRuns: 500 },
    );
  });
});
