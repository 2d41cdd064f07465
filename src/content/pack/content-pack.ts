import { CONTENT_KINDS, FILE_SCHEMAS, type Content } from '../schema/kinds.ts';
import { jsonPath } from '../schema/errors.ts';
import { crossCheck } from '../schema/references.ts';
import { npcTableOf, type NpcTable } from '../npc-table.ts';
import { classTableOf, type ClassTable } from '../class-table.ts';
import { skillTableOf, type SkillTable } from '../skill-table.ts';
import { ClassSection, SkillSection, classSections, classTableIn, skillSections, skillTableIn } from './combat-pack.ts';
import { canonicalJson } from './canonical-json.ts';
import { FileKind, readContainer, requireSection, type Container } from './container.ts';
import { writeContainer } from './container-write.ts';
import { ContentFileError, badFile } from './errors.ts';
import { NpcSection, npcSections, npcTableIn, sectionPlace } from './npc-pack.ts';

export { columnSection, decodeNpcTable } from './npc-pack.ts';
export { decodeCombatTables } from './combat-pack.ts';

/**
 * The content pack: the game's content compiled from the JSON sources.
 * Sections: the NPC table (npc-pack.ts: NIDS, NCOL, C000…) and the class
 * and skill tables (combat-pack.ts: KIDS…, SIDS…), which the cells view in
 * place, and
 *
 *   JSON  the whole validated content as canonical UTF-8 JSON (items, loot,
 *         skills, classes, quests, events: text-heavy, read by the coordinator)
 */
export const ContentSection = {
  NPC_IDS: NpcSection.IDS,
  NPC_COLUMN_NAMES: NpcSection.COLUMN_NAMES,
  CLASS_IDS: ClassSection.ids,
  SKILL_IDS: SkillSection.ids,
  CATALOGUE: 'JSON',
} as const;

export interface ContentPack {
  npcs: NpcTable;
  classes: ClassTable;
  skills: SkillTable;
  catalogue: Content;
}

/** Encodes validated content (schema/load.ts) into a content pack. */
export function encodeContentPack(content: Content): Uint8Array {
  const skills = skillTableOf(content.skills);
  return writeContainer(FileKind.CONTENT, [
    ...npcSections(npcTableOf(content.npcs, content.skills.map((s) => s.id))),
    ...classSections(classTableOf(content.classes, skills.ids)),
    ...skillSections(skills),
    { id: ContentSection.CATALOGUE, bytes: new TextEncoder().encode(canonicalJson(content)) },
  ]);
}

/** The NPC table and the whole content, re-validated with the file schemas. Throws ContentFileError only. */
export function decodeContentPack(bytes: Uint8Array, file = 'content pack'): ContentPack {
  const c = readContainer(bytes, file, FileKind.CONTENT);
  const npcs = npcTableIn(c, file);
  const skills = skillTableIn(c, file);
  const classes = classTableIn(c, file, skills.count);
  const catalogue = catalogueIn(c, file);
  const lists = (ids: readonly string[], table: readonly string[]) => ids.length === table.length - 1 && ids.every((id, i) => table[i + 1] === id);
  if (!lists(catalogue.npcs.map((n) => n.id), npcs.ids)) {
    badFile(sectionPlace(c, file, ContentSection.NPC_IDS), 0, 'the NPC table does not list the templates of the catalogue, in order');
  }
  if (!lists(catalogue.classes.map((k) => k.id), classes.ids)) {
    badFile(sectionPlace(c, file, ContentSection.CLASS_IDS), 0, 'the class table does not list the classes of the catalogue, in order');
  }
  if (!lists(catalogue.skills.map((k) => k.id), skills.ids)) {
    badFile(sectionPlace(c, file, ContentSection.SKILL_IDS), 0, 'the skill table does not list the skills of the catalogue, in order');
  }
  return { npcs, classes, skills, catalogue };
}

function catalogueIn(c: Container, file: string): Content {
  const id = ContentSection.CATALOGUE;
  const at = sectionPlace(c, file, id);
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
