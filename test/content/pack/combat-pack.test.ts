/**
 * The class and skill tables of the content pack: built from the content,
 * viewed in place by the cells, and refused with a ContentFileError when a
 * value the combat code indexes with is out of range.
 */
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CLASS_COLUMNS, MAX_CLASS_SKILLS, classStat, classTableOf, experienceFor } from '../../../src/content/class-table.ts';
import { ClassSection, SkillSection, decodeCombatTables } from '../../../src/content/pack/combat-pack.ts';
import { FileKind, readContainer, tableEnd, TableEntry } from '../../../src/content/pack/container.ts';
import { writeContainer } from '../../../src/content/pack/container-write.ts';
import { decodeContentPack, encodeContentPack } from '../../../src/content/pack/content-pack.ts';
import { tableColumnSection } from '../../../src/content/pack/table-pack.ts';
import { EffectType, MAX_EFFECTS, SKILL_COLUMNS, SkillTarget, skillTableOf } from '../../../src/content/skill-table.ts';
import { Stat, STAT_COUNT } from '../../../src/content/stat-block.ts';
import { fixtureContent, refusal } from './helpers.ts';

const F = 'content.tpak';

function patchSection(bytes: Uint8Array, id: string, edit: (s: Uint8Array) => void): Uint8Array {
  const out = bytes.slice();
  const c = readContainer(out, F);
  const s = c.sections.get(id)!;
  edit(s);
  const i = [...c.sections.keys()].indexOf(id);
  new DataView(out.buffer).setUint32(tableEnd(i) + TableEntry.crc, crc32(s), true);
  return out;
}

const column = (specs: readonly (readonly [string, ...unknown[]])[], name: string) => specs.findIndex(([n]) => n === name);

describe('class and skill tables', () => {
  it('round-trip through the content pack, viewed in place in shared memory', () => {
    const content = fixtureContent();
    const bytes = encodeContentPack(content);
    const sab = new SharedArrayBuffer(bytes.length);
    new Uint8Array(sab).set(bytes);
    const { classes, skills } = decodeCombatTables(new Uint8Array(sab), F);
    const skillsWant = skillTableOf(content.skills);
    const classesWant = classTableOf(content.classes, skillsWant.ids);
    expect(classes.ids).toEqual(['', ...content.classes.map((k) => k.id)]);
    expect(skills.ids).toEqual(['', ...content.skills.map((k) => k.id)]);
    for (const [name] of CLASS_COLUMNS) expect(classes[name]).toEqual(classesWant[name]);
    for (const [name] of SKILL_COLUMNS) expect(skills[name]).toEqual(skillsWant[name]);
    expect(classes.base.buffer).toBe(sab);
    expect(decodeContentPack(bytes, F).classes.count).toBe(content.classes.length + 1);
  });

  it('hold what combat reads: stats by level, the experience curve, skills by level, effects', () => {
    const content = fixtureContent();
    const skills = skillTableOf(content.skills);
    const classes = classTableOf(content.classes, skills.ids);
    const k = content.classes[0];
    expect(classStat(classes, 1, Stat.health, 1)).toBe(k.baseStats.health);
    expect(classStat(classes, 1, Stat.health, 3)).toBeCloseTo(k.baseStats.health! + 2 * (k.growth.health ?? 0));
    expect(experienceFor(classes, 1, 1)).toBe(k.experience[0]);
    expect(experienceFor(classes, 1, k.maxLevel)).toBe(0);
    expect(classes.skillCount[1]).toBe(k.skills.length);
    k.skills.forEach((s, j) => {
      expect(skills.ids[classes.skills[MAX_CLASS_SKILLS + j]]).toBe(s.skill);
      expect(classes.skillLevel[MAX_CLASS_SKILLS + j]).toBe(s.level);
    });
    // Class 0: no class, the plain player of a zone without content.
    expect(classStat(classes, 0, Stat.health, 1)).toBe(100);
    expect(classes.maxLevel[0]).toBe(1);
    content.skills.forEach((s, n) => {
      const i = n + 1;
      expect(skills.effectCount[i]).toBe(s.effects.length);
      expect(skills.target[i]).toBe(SkillTarget[s.target.toUpperCase() as keyof typeof SkillTarget]);
      s.effects.forEach((e, j) => {
        const at = i * MAX_EFFECTS + j;
        if (e.type === 'damage') {
          expect(skills.effType[at]).toBe(EffectType.DAMAGE);
          expect([skills.effMin[at], skills.effMax[at]]).toEqual([e.amount.min, e.amount.max]);
        }
        if (e.type === 'buff' || e.type === 'debuff') {
          for (const [stat, v] of Object.entries(e.stats)) expect(skills.effStats[at * STAT_COUNT + Stat[stat as keyof typeof Stat]]).toBe(v);
        }
      });
    });
  });

  it('refuses a value out of range, a skill number past the table, a missing column', () => {
    const good = encodeContentPack(fixtureContent());
    const res = tableColumnSection(ClassSection.prefix, column(CLASS_COLUMNS, 'resource'));
    expect(refusal(() => decodeCombatTables(patchSection(good, res, (s) => (s[1] = 7)), F), F, res).message).toMatch(/class 1: resource 7 is out of range/);
    const sk = tableColumnSection(ClassSection.prefix, column(CLASS_COLUMNS, 'skills'));
    expect(refusal(() => decodeCombatTables(patchSection(good, sk, (s) => new DataView(s.buffer, s.byteOffset).setUint16(MAX_CLASS_SKILLS * 2, 999, true)), F), F, sk).message).toMatch(
      /class 1: skills 999 is out of range/,
    );
    const eff = tableColumnSection(SkillSection.prefix, column(SKILL_COLUMNS, 'effType'));
    expect(refusal(() => decodeCombatTables(patchSection(good, eff, (s) => (s[MAX_EFFECTS] = 6)), F), F, eff).message).toMatch(/skill 1: effType 6 is out of range/);
    const c = readContainer(good, F);
    const without = writeContainer(FileKind.CONTENT, [...c.sections].filter(([id]) => id !== tableColumnSection(SkillSection.prefix, 0)).map(([id, bytes]) => ({ id, bytes })));
    expect(refusal(() => decodeCombatTables(without, F), F).message).toMatch(/S000/);
  });
});
