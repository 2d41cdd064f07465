import { requireSection, type Container } from './container.ts';
import type { SectionInput } from './container-write.ts';
import { badFile, type FilePlace } from './errors.ts';
import { StringTableWriter, readStringTable } from './strings.ts';

/**
 * A content table as the cells read it (NPC templates, classes, skills):
 * row 0 reserved, rows 1.. in file order, one typed array per column, each
 * column `width` elements a row (a stat block, a list of a class's skills).
 * In a content pack (content-pack.ts) a table is three kinds of sections:
 *
 *   <ids>     string table: row number → content id ("" for the reserved 0)
 *   <names>   string table: the column names, in the order of the column sections
 *   <p>000…   one column each, `count × width` elements of its typed array,
 *             viewed in place (a SharedArrayBuffer in the cells)
 *
 * Columns are matched by name, not position, so a column added to a table
 * is refused by an older pack ("rebuild the content") instead of read as
 * another field.
 */

export type ColumnArray = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float32Array;
export type ColumnType = Uint8ArrayConstructor | Uint16ArrayConstructor | Int32ArrayConstructor | Uint32ArrayConstructor | Float32ArrayConstructor;
/** A column: name, element type, and elements per row (1 when left out). */
export type ColumnSpec = readonly [name: string, type: ColumnType, width?: number];

/** The section ids of one table in a pack. */
export interface TableSections {
  /** What the table holds, for messages ("NPC", "class", "skill"). */
  readonly what: string;
  readonly ids: string;
  readonly names: string;
  /** First character of the column sections' ids (then three digits). */
  readonly prefix: string;
}

/** Section id of the k-th column of a table whose column sections start with `prefix`. */
export function tableColumnSection(prefix: string, k: number): string {
  return `${prefix}${k.toString().padStart(3, '0')}`;
}

/** Elements a row of `spec` takes. */
export const widthOf = (spec: ColumnSpec): number => spec[2] ?? 1;

/** Fresh zeroed columns for `count` rows. */
export function newColumns(columns: readonly ColumnSpec[], count: number): Record<string, ColumnArray> {
  return Object.fromEntries(columns.map((c) => [c[0], new c[1](count * widthOf(c))]));
}

/** The sections holding a table: its ids (row 0 first) and its columns. */
export function tableSections(s: TableSections, ids: readonly string[], columns: readonly ColumnSpec[], values: Readonly<Record<string, ColumnArray>>): SectionInput[] {
  const idTable = new StringTableWriter();
  for (const id of ids) idTable.add(id);
  const names = new StringTableWriter();
  for (const [name] of columns) names.add(name);
  const cols = columns.map(([name], k) => {
    const col = values[name];
    return { id: tableColumnSection(s.prefix, k), bytes: new Uint8Array(col.buffer, col.byteOffset, col.byteLength) };
  });
  return [{ id: s.ids, bytes: idTable.bytes() }, { id: s.names, bytes: names.bytes() }, ...cols];
}

export function sectionPlace(c: Container, file: string, id: string): FilePlace {
  return { file, section: id, base: c.offsets.get(id) ?? 0 };
}

/** A table read from a pack: its ids and columns viewed in place. */
export interface ReadTable {
  count: number;
  ids: string[];
  cols: Record<string, ColumnArray>;
  /** Where column `name` sits, for errors about its values. */
  placeOf(name: string): FilePlace;
}

/**
 * Reads a table's sections; every value of every column must be finite
 * (the callers check their own ranges). Throws ContentFileError only.
 */
export function readTable(c: Container, file: string, s: TableSections, columns: readonly ColumnSpec[]): ReadTable {
  const idAt = sectionPlace(c, file, s.ids);
  const ids = readStringTable(requireSection(c, file, s.ids), idAt);
  if (ids.length < 1 || ids[0] !== '') badFile(idAt, 0, `${s.what} 0 must be the reserved empty id`);
  const count = ids.length;
  const names = readStringTable(requireSection(c, file, s.names), sectionPlace(c, file, s.names));
  const cols: Record<string, ColumnArray> = {};
  const places = new Map<string, FilePlace>();
  for (const spec of columns) {
    const [name, Type] = spec;
    const k = names.indexOf(name);
    if (k < 0) badFile(sectionPlace(c, file, s.names), 0, `no ${s.what} column "${name}"; rebuild the content with npm run content`);
    const id = tableColumnSection(s.prefix, k);
    const bytes = requireSection(c, file, id);
    const at = sectionPlace(c, file, id);
    const n = count * widthOf(spec);
    if (bytes.byteLength !== n * Type.BYTES_PER_ELEMENT) badFile(at, 0, `column ${name} has ${bytes.byteLength} bytes, expected ${n} × ${Type.BYTES_PER_ELEMENT}`);
    // A SharedArrayBuffer in the cells; the constructors take either.
    const col = new Type(bytes.buffer as ArrayBuffer, bytes.byteOffset, n);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(col[i])) badFile(at, i * Type.BYTES_PER_ELEMENT, `${s.what} ${Math.floor(i / widthOf(spec))}: ${name} ${col[i]} is not finite`);
    }
    cols[name] = col;
    places.set(name, at);
  }
  return { count, ids, cols, placeOf: (name) => places.get(name)! };
}

/** Refuses a value of column `name` (row `row`, element `i` of it) outside [0, limit). */
export function checkBelow(t: ReadTable, what: string, name: string, limit: number, width = 1): void {
  const col = t.cols[name];
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (!(v >= 0 && v < limit)) badFile(t.placeOf(name), i * col.BYTES_PER_ELEMENT, `${what} ${Math.floor(i / width)}: ${name} ${v} is out of range`);
  }
}
