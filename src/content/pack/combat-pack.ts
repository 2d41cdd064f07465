import { CLASS_COLUMNS, MAX_CLASS_SKILLS, type ClassTable } from '../class-table.ts';
import { LEVEL_MAX, RESOURCES, SCHOOLS, SKILL_TARGETS } from '../schema/limits.ts';
import { EFFECT_TYPES, MAX_EFFECTS, SKILL_COLUMNS, type SkillTable } from '../skill-table.ts';
import { FileKind, readContainer, type Container } from './container.ts';
import type { SectionInput } from './container-write.ts';
import { badFile } from './errors.ts';
import { checkBelow, readTable, tableSections, type ColumnArray, type TableSections } from './table-pack.ts';

/**
 * The class and skill tables' sections of the content pack (layout in
 * table-pack.ts), which the cells view in place as they view the NPC table:
 *
 *   KIDS, KCOL, K000…  classes (class-table.ts CLASS_COLUMNS)
 *   SIDS, SCOL, S000…  skills (skill-table.ts SKILL_COLUMNS)
 */
export const ClassSection: TableSections = { what: 'class', ids: 'KIDS', names: 'KCOL', prefix: 'K' };
export const SkillSection: TableSections = { what: 'skill', ids: 'SIDS', names: 'SCOL', prefix: 'S' };

export function classSections(t: ClassTable): SectionInput[] {
  return tableSections(ClassSection, t.ids, CLASS_COLUMNS, t as unknown as Record<string, ColumnArray>);
}

export function skillSections(t: SkillTable): SectionInput[] {
  return tableSections(SkillSection, t.ids, SKILL_COLUMNS, t as unknown as Record<string, ColumnArray>);
}

/** Both tables of a content pack, columns viewed in place. Throws ContentFileError only. */
export function decodeCombatTables(bytes: Uint8Array, file = 'content pack'): { classes: ClassTable; skills: SkillTable } {
  const c = readContainer(bytes, file, FileKind.CONTENT);
  const skills = skillTableIn(c, file);
  return { classes: classTableIn(c, file, skills.count), skills };
}

/** The skill table, every value the combat code indexes with or divides by checked. */
export function skillTableIn(c: Container, file: string): SkillTable {
  const t = readTable(c, file, SkillSection, SKILL_COLUMNS);
  for (const spec of SKILL_COLUMNS) if (spec[0] !== 'effStats') checkBelow(t, 'skill', spec[0], Infinity, spec[2] ?? 1);
  checkBelow(t, 'skill', 'target', SKILL_TARGETS.length);
  checkBelow(t, 'skill', 'effectCount', MAX_EFFECTS + 1);
  checkBelow(t, 'skill', 'effType', EFFECT_TYPES.length, MAX_EFFECTS);
  checkBelow(t, 'skill', 'effSchool', SCHOOLS.length, MAX_EFFECTS);
  const s = t.cols as unknown as SkillTable;
  for (let i = 0; i < t.count * MAX_EFFECTS; i++) {
    if (s.effMin[i] > s.effMax[i]) badFile(t.placeOf('effMax'), i * 4, `skill ${Math.floor(i / MAX_EFFECTS)}: effect amount max below min`);
  }
  return { count: t.count, ids: t.ids, ...t.cols } as unknown as SkillTable;
}

/** The class table; its skills must be numbers of a table of `skillCount` skills. */
export function classTableIn(c: Container, file: string, skillCount: number): ClassTable {
  const t = readTable(c, file, ClassSection, CLASS_COLUMNS);
  for (const spec of CLASS_COLUMNS) checkBelow(t, 'class', spec[0], Infinity, spec[2] ?? 1);
  checkBelow(t, 'class', 'resource', RESOURCES.length);
  checkBelow(t, 'class', 'maxLevel', LEVEL_MAX + 1);
  checkBelow(t, 'class', 'skillCount', MAX_CLASS_SKILLS + 1);
  checkBelow(t, 'class', 'skills', skillCount, MAX_CLASS_SKILLS);
  const k = t.cols as unknown as ClassTable;
  for (let i = 0; i < t.count; i++) {
    if (k.maxLevel[i] < 1) badFile(t.placeOf('maxLevel'), i, `class ${i}: maxLevel 0`);
    for (let j = 0; j < k.skillCount[i]; j++) {
      if (k.skills[i * MAX_CLASS_SKILLS + j] === 0) badFile(t.placeOf('skills'), (i * MAX_CLASS_SKILLS + j) * 2, `class ${i}: skill ${j} is the reserved 0`);
    }
  }
  return { count: t.count, ids: t.ids, ...t.cols } as unknown as ClassTable;
}
