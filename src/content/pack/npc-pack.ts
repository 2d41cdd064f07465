import { AI_KINDS, HOSTILITIES } from '../schema/limits.ts';
import { NPC_COLUMNS, NPC_MAX_SKILLS, type NpcTable } from '../npc-table.ts';
import { FileKind, readContainer, type Container } from './container.ts';
import type { SectionInput } from './container-write.ts';
import { checkBelow, readTable, tableColumnSection, tableSections, type ColumnArray, type TableSections } from './table-pack.ts';

export { sectionPlace } from './table-pack.ts';

/**
 * The NPC table's sections of the content pack (content-pack.ts), apart
 * from the catalogue so a cell reads its templates without loading every
 * content schema (table-pack.ts describes the layout):
 *
 *   NIDS  string table: NPC template number → id ("" for the reserved 0)
 *   NCOL  string table: the NPC column names, in the order of the C### sections
 *   C000… one NPC column each (npc-table.ts NPC_COLUMNS), viewed in place
 */
export const NpcSection = { IDS: 'NIDS', COLUMN_NAMES: 'NCOL' } as const;

const SECTIONS: TableSections = { what: 'NPC', ids: NpcSection.IDS, names: NpcSection.COLUMN_NAMES, prefix: 'C' };

/** Section id of the k-th column. */
export function columnSection(k: number): string {
  return tableColumnSection(SECTIONS.prefix, k);
}

/** The sections holding `table`. */
export function npcSections(table: NpcTable): SectionInput[] {
  return tableSections(SECTIONS, table.ids, NPC_COLUMNS, table as unknown as Record<string, ColumnArray>);
}

/** The NPC table alone (what a cell needs), its columns viewed in place. Throws ContentFileError only. */
export function decodeNpcTable(bytes: Uint8Array, file = 'content pack'): NpcTable {
  return npcTableIn(readContainer(bytes, file, FileKind.CONTENT), file);
}

/** The NPC table of a read content container. */
export function npcTableIn(c: Container, file: string): NpcTable {
  const t = readTable(c, file, SECTIONS, NPC_COLUMNS);
  // Values the AI indexes tables with or divides by must be in range.
  for (const spec of NPC_COLUMNS) checkBelow(t, 'template', spec[0], Infinity, spec[2] ?? 1);
  checkBelow(t, 'template', 'ai', AI_KINDS.length);
  checkBelow(t, 'template', 'hostility', HOSTILITIES.length);
  checkBelow(t, 'template', 'skillCount', NPC_MAX_SKILLS + 1);
  return { count: t.count, ids: t.ids, ...t.cols } as unknown as NpcTable;
}
