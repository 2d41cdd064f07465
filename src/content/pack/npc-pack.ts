import { AI_KINDS, HOSTILITIES } from '../schema/npcs.ts';
import { NPC_COLUMNS, type NpcColumn, type NpcTable } from '../npc-table.ts';
import { FileKind, readContainer, requireSection, type Container } from './container.ts';
import type { SectionInput } from './container-write.ts';
import { badFile, type FilePlace } from './errors.ts';
import { StringTableWriter, readStringTable } from './strings.ts';

/**
 * The NPC table's sections of the content pack (content-pack.ts), apart
 * from the catalogue so a cell reads its templates without loading every
 * content schema:
 *
 *   NIDS  string table: NPC template number → id ("" for the reserved 0)
 *   NCOL  string table: the NPC column names, in the order of the C### sections
 *   C000… one NPC column each (npc-table.ts NPC_COLUMNS), `count` elements of
 *         its typed array, viewed in place
 *
 * Columns are matched by name, not position, so a column added to the
 * table is refused by an older pack instead of read as another field.
 */
export const NpcSection = { IDS: 'NIDS', COLUMN_NAMES: 'NCOL' } as const;

/** Section id of the k-th column. */
export function columnSection(k: number): string {
  return `C${k.toString().padStart(3, '0')}`;
}

/** The sections holding `table`. */
export function npcSections(table: NpcTable): SectionInput[] {
  const ids = new StringTableWriter();
  for (const id of table.ids) ids.add(id);
  const names = new StringTableWriter();
  for (const [name] of NPC_COLUMNS) names.add(name);
  const columns = NPC_COLUMNS.map(([name], k) => {
    const col = table[name];
    return { id: columnSection(k), bytes: new Uint8Array(col.buffer, col.byteOffset, col.byteLength) };
  });
  return [{ id: NpcSection.IDS, bytes: ids.bytes() }, { id: NpcSection.COLUMN_NAMES, bytes: names.bytes() }, ...columns];
}

export function sectionPlace(c: Container, file: string, id: string): FilePlace {
  return { file, section: id, base: c.offsets.get(id) ?? 0 };
}

/** The NPC table alone (what a cell needs), its columns viewed in place. Throws ContentFileError only. */
export function decodeNpcTable(bytes: Uint8Array, file = 'content pack'): NpcTable {
  return npcTableIn(readContainer(bytes, file, FileKind.CONTENT), file);
}

/** The NPC table of a read content container. */
export function npcTableIn(c: Container, file: string): NpcTable {
  const idAt = sectionPlace(c, file, NpcSection.IDS);
  const ids = readStringTable(requireSection(c, file, NpcSection.IDS), idAt);
  if (ids.length < 1 || ids[0] !== '') badFile(idAt, 0, 'template 0 must be the reserved empty id');
  const count = ids.length;
  const names = readStringTable(requireSection(c, file, NpcSection.COLUMN_NAMES), sectionPlace(c, file, NpcSection.COLUMN_NAMES));
  const cols: Partial<Record<NpcColumn, Uint8Array | Uint32Array | Float32Array>> = {};
  for (const [name, Type] of NPC_COLUMNS) {
    const k = names.indexOf(name);
    if (k < 0) badFile(sectionPlace(c, file, NpcSection.COLUMN_NAMES), 0, `no NPC column "${name}"; rebuild the content with npm run content`);
    const id = columnSection(k);
    const s = requireSection(c, file, id);
    const at = sectionPlace(c, file, id);
    if (s.byteLength !== count * Type.BYTES_PER_ELEMENT) badFile(at, 0, `column ${name} has ${s.byteLength} bytes, expected ${count} × ${Type.BYTES_PER_ELEMENT}`);
    // A SharedArrayBuffer in the cells; the constructors take either.
    const col = new Type(s.buffer as ArrayBuffer, s.byteOffset, count);
    checkColumn(name, col, at);
    cols[name] = col;
  }
  return { count, ids, ...cols } as NpcTable;
}

/** Values the AI indexes tables with or divides by must be in range. */
function checkColumn(name: NpcColumn, col: Uint8Array | Uint32Array | Float32Array, at: FilePlace): void {
  const limit = name === 'ai' ? AI_KINDS.length : name === 'hostility' ? HOSTILITIES.length : Infinity;
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (!(v >= 0 && v < limit && Number.isFinite(v))) badFile(at, i * col.BYTES_PER_ELEMENT, `template ${i}: ${name} ${v} is out of range`);
  }
}
