import { AI_KINDS, HOSTILITIES } from '../schema/npcs.ts';
import { CONTENT_KINDS, FILE_SCHEMAS, type Content } from '../schema/kinds.ts';
import { jsonPath } from '../schema/errors.ts';
import { crossCheck } from '../schema/references.ts';
import { NPC_COLUMNS, npcTableOf, type NpcColumn, type NpcTable } from '../npc-table.ts';
import { canonicalJson } from './canonical-json.ts';
import { FileKind, readContainer, requireSection, type Container } from './container.ts';
import { writeContainer } from './container-write.ts';
import { ContentFileError, badFile, type FilePlace } from './errors.ts';
import { StringTableWriter, readStringTable } from './strings.ts';

/**
 * The content pack: the game's content compiled from the JSON sources.
 * Sections:
 *
 *   NIDS  string table: NPC template number → id ("" for the reserved 0)
 *   NCOL  string table: the NPC column names, in the order of the C### sections
 *   C000… one NPC column each (npc-table.ts NPC_COLUMNS), `count` elements of
 *         its typed array; the cells view them in place
 *   JSON  the whole validated content as canonical UTF-8 JSON (items, loot,
 *         skills, classes, quests, events: text-heavy, read by the coordinator)
 *
 * Columns are matched by name, not position, so a column added to the
 * table is refused by an older pack instead of read as another field.
 */
export const ContentSection = { NPC_IDS: 'NIDS', NPC_COLUMN_NAMES: 'NCOL', CATALOGUE: 'JSON' } as const;

/** Section id of the k-th column. */
export function columnSection(k: number): string {
  return `C${k.toString().padStart(3, '0')}`;
}

export interface ContentPack {
  npcs: NpcTable;
  catalogue: Content;
}

/** Encodes validated content (schema/load.ts) into a content pack. */
export function encodeContentPack(content: Content): Uint8Array {
  const table = npcTableOf(content.npcs);
  const ids = new StringTableWriter();
  for (const id of table.ids) ids.add(id);
  const names = new StringTableWriter();
  for (const [name] of NPC_COLUMNS) names.add(name);
  const columns = NPC_COLUMNS.map(([name], k) => {
    const col = table[name];
    return { id: columnSection(k), bytes: new Uint8Array(col.buffer, col.byteOffset, col.byteLength) };
  });
  return writeContainer(FileKind.CONTENT, [
    { id: ContentSection.NPC_IDS, bytes: ids.bytes() },
    { id: ContentSection.NPC_COLUMN_NAMES, bytes: names.bytes() },
    ...columns,
    { id: ContentSection.CATALOGUE, bytes: new TextEncoder().encode(canonicalJson(content)) },
  ]);
}

/** The NPC table alone (what a cell needs), its columns viewed in place. Throws ContentFileError only. */
export function decodeNpcTable(bytes: Uint8Array, file = 'content pack'): NpcTable {
  return npcTableIn(readContainer(bytes, file, FileKind.CONTENT), file);
}

/** The NPC table and the whole content, re-validated with the file schemas. Throws ContentFileError only. */
export function decodeContentPack(bytes: Uint8Array, file = 'content pack'): ContentPack {
  const c = readContainer(bytes, file, FileKind.CONTENT);
  const npcs = npcTableIn(c, file);
  const catalogue = catalogueIn(c, file);
  const ids = catalogue.npcs.map((n) => n.id);
  if (ids.length !== npcs.count - 1 || ids.some((id, i) => npcs.ids[i + 1] !== id)) {
    badFile(place(c, file, ContentSection.NPC_IDS), 0, 'the NPC table does not list the templates of the catalogue, in order');
  }
  return { npcs, catalogue };
}

function place(c: Container, file: string, id: string): FilePlace {
  return { file, section: id, base: c.offsets.get(id) ?? 0 };
}

function npcTableIn(c: Container, file: string): NpcTable {
  const idAt = place(c, file, ContentSection.NPC_IDS);
  const ids = readStringTable(requireSection(c, file, ContentSection.NPC_IDS), idAt);
  if (ids.length < 1 || ids[0] !== '') badFile(idAt, 0, 'template 0 must be the reserved empty id');
  const count = ids.length;
  const names = readStringTable(requireSection(c, file, ContentSection.NPC_COLUMN_NAMES), place(c, file, ContentSection.NPC_COLUMN_NAMES));
  const cols: Partial<Record<NpcColumn, Uint8Array | Uint32Array | Float32Array>> = {};
  for (const [name, Type] of NPC_COLUMNS) {
    const k = names.indexOf(name);
    if (k < 0) badFile(place(c, file, ContentSection.NPC_COLUMN_NAMES), 0, `no NPC column "${name}"; rebuild the content with npm run content`);
    const id = columnSection(k);
    const s = requireSection(c, file, id);
    const at = place(c, file, id);
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

function catalogueIn(c: Container, file: string): Content {
  const id = ContentSection.CATALOGUE;
  const at = place(c, file, id);
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(requireSection(c, file, id).slice()));
  } catch (e) {
    if (e instanceof ContentFileError) throw e;
    badFile(at, 0, `catalogue is not valid UTF-8 JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) badFile(at, 0, 'catalogue is not a JSON object');
  const content = {} as Record<string, unknown>;
  for (const kind of CONTENT_KINDS) {
    const parsed = FILE_SCHEMAS[kind].safeParse({ [kind]: (data as Record<string, unknown>)[kind] });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      badFile(at, 0, `catalogue ${jsonPath(issue.path as (string | number)[])}: ${issue.message}`);
    }
    content[kind] = (parsed.data as Record<string, unknown>)[kind];
  }
  const cross = crossCheck(content as unknown as Content);
  if (cross.length > 0) badFile(at, 0, `catalogue ${cross[0].file} ${cross[0].path}: ${cross[0].message}`);
  return content as unknown as Content;
}
