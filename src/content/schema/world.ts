/** The world definition, data/world.json: which zones run, on which maps, with how many cells. */
import { z } from 'zod';
import { issuesToErrors, lineColumn, locatePath, type ContentError } from './errors.ts';

/** The world file's name in the content folder. */
export const WORLD_FILE = 'world.json';
/** The most zones one world runs (the server's limit on zones per process). */
export const MAX_ZONES = 64;
/** Zone names as the configuration spells them (ZONE_NAME): lowercase identifiers. */
const ZONE_NAME = /^[a-z][a-z0-9_-]{0,31}$/;

export const ZoneName = z.string().regex(ZONE_NAME, 'must be a lowercase identifier of at most 32 characters (a-z first, then a-z, 0-9, "_", "-")').describe(
  'Zone name: portals, quests and events name zones (maps) by it.',
);

const RelativePath = z
  .string()
  .min(1)
  .max(512)
  .refine((p) => !/^([a-zA-Z]:)?[\\/]/.test(p), 'must be a path relative to world.json');

export const WorldZone = z.strictObject({
  name: ZoneName,
  map: RelativePath.describe('Tiled map of the zone (.tmx or .tmj), relative to world.json.'),
  cells: z
    .strictObject({ cols: z.int().min(1).max(16), rows: z.int().min(1).max(16) })
    .describe('Cell grid: each cell is one worker thread owning a rectangle of the zone.'),
});
export type WorldZone = z.output<typeof WorldZone>;

export const WorldFile = z
  .strictObject({
    $schema: z.string().max(512).optional().describe("Path or URL of this file's JSON Schema, for editors."),
    start: ZoneName.describe('The zone new characters and guests start in.'),
    content: RelativePath.default('.').describe('Folder of the content JSON files (npcs.json, items.json, ...), relative to world.json.'),
    zones: z.array(WorldZone).min(1).max(MAX_ZONES),
    sprites: RelativePath.optional().describe(
      'Tileset (.tsx or .tsj) of the sprites the browser client draws entities with, relative to world.json: each tile has a string property "sprite" naming a class, NPC template or item id (or "corpse", "corpse.<kind>", "gold").',
    ),
  })
  .superRefine((w, ctx) => {
    const seen = new Map<string, number>();
    w.zones.forEach((z, i) => {
      const first = seen.get(z.name);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['zones', i, 'name'], message: `zone "${z.name}" is already defined at $.zones[${first}]` });
      else seen.set(z.name, i);
    });
    if (!seen.has(w.start)) ctx.addIssue({ code: 'custom', path: ['start'], message: `names no zone of $.zones (${[...seen.keys()].join(', ')})` });
  });
export type WorldFile = z.output<typeof WorldFile>;

/** Parses world.json; never throws: problems come back naming the file, JSON path, line and column. */
export function parseWorldFile(text: string, file = WORLD_FILE): { ok: true; world: WorldFile } | { ok: false; errors: ContentError[] } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (e) {
    return { ok: false, errors: [{ file, path: '$', message: `malformed JSON: ${e instanceof Error ? e.message : String(e)}` }] };
  }
  const parsed = WorldFile.safeParse(data);
  if (parsed.success) return { ok: true, world: parsed.data };
  return { ok: false, errors: issuesToErrors(file, parsed.error.issues, data).map(({ segments, error }) => ({ ...error, ...lineColumn(body, locatePath(body, segments)) })) };
}
