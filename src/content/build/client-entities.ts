import type { Content } from '../schema/kinds.ts';
import type { Tileset } from '../tiled/model.ts';
import type { ClientImage, ImagePlacer } from './client-map.ts';

/**
 * What the browser client needs to draw and label entities
 * (client/<hash>/entities.json): the sprite atlas named by world.json's
 * `sprites` with each sprite's tile, and the names of the NPC templates,
 * classes and items in the order the wire numbers them (an NPC's `template`
 * n is `npcs[n - 1]`: the order of npcs.json, as the cells number them), and
 * what the HUD shows of combat: whether an NPC can be fought, each class's
 * resource and skills, each skill's name, target, cast, cooldown, cost and
 * range (skill n is `skills[n - 1]`, as ACTION and the self record number
 * them).
 */
export const CLIENT_ENTITIES_FORMAT = 4;
export const CLIENT_ENTITIES_FILE = 'entities.json';

export interface ClientSpriteAtlas {
  image: ClientImage;
  tileWidth: number;
  tileHeight: number;
  columns: number;
  spacing: number;
  margin: number;
  tileOffsetX: number;
  tileOffsetY: number;
  /** Sprite name (a class, NPC or item id, or `corpse`, `corpse.<kind>`, `gold`) → local tile id. */
  tiles: Record<string, number>;
}

export interface ClientEntities {
  format: number;
  /** Null when world.json names no sprite tileset: the client draws markers. */
  sprites: ClientSpriteAtlas | null;
  npcs: { id: string; name: string; level: number; hostility: 'aggressive' | 'defensive' | 'passive' | 'friendly' }[];
  classes: { id: string; name: string; resource: 'mana' | 'energy' | 'rage'; skills: { skill: number; level: number }[] }[];
  items: ClientItem[];
  skills: ClientSkill[];
  /** Quest n (QUEST, QUEST_LOG) is quests[n]: quests.json order. */
  quests: ClientQuest[];
}

/** A quest as the quest log and NPC dialogs show it; `giver` and `turnIn` are NPC template numbers (0: none). */
export interface ClientQuest {
  id: string;
  name: string;
  description: string;
  completion: string;
  giver: number;
  turnIn: number;
  minLevel: number;
  prerequisites: number[];
  repeatable: boolean;
  objectives: { text: string; count: number }[];
  rewards: { experience: number; gold: number; items: string[] };
}

/**
 * An item as the inventory's tooltips show it (format 4): its kind, slot,
 * quality, stack size, requirements, the stats it adds while worn, its
 * weapon swing and what using it does (skill n of ACTION numbering; 0: none).
 */
export interface ClientItem {
  id: string;
  name: string;
  description: string;
  kind: string;
  /** Equipment slot name ('' for what is not worn). */
  slot: string;
  quality: string;
  stackSize: number;
  value: number;
  levelRequired: number;
  /** Class numbers (a player's `template`) that may use it; empty: every class. */
  classes: number[];
  /** Stat name → amount added while equipped (chances in parts per 10,000). */
  stats: Record<string, number>;
  weapon: { min: number; max: number; intervalMs: number; range: number } | null;
  use: { skill: number; cooldownMs: number } | null;
}

/** A skill as the HUD shows it (the numbers the server checks live in the content pack). */
export interface ClientSkill {
  id: string;
  name: string;
  description: string;
  target: 'self' | 'enemy' | 'ally' | 'point';
  castMs: number;
  cooldownMs: number;
  cost: number;
  range: number;
  /** The school of its first damaging effect ('physical' for a skill without one): the icon's colour. */
  school: string;
  /** Its effects' kinds (damage, heal, buff...), in order. */
  effects: string[];
}

/** The tile property naming what a sprite stands for. */
export const SPRITE_PROPERTY = 'sprite';

/**
 * Builds the client's entity catalogue. Problems (a sprite named twice, a
 * sprite naming an id the content lacks) come back as warnings: a missing
 * sprite is drawn as a marker, never a failed build.
 */
export function clientEntitiesOf(content: Content, sprites: Tileset | null, place: ImagePlacer, warn: (message: string) => void): ClientEntities {
  // Skills are numbered from 1 in skills.json order (src/content/skill-table.ts), as on the wire.
  const skillNumber = new Map(content.skills.map((s, i) => [s.id, i + 1]));
  let atlas: ClientSpriteAtlas | null = null;
  if (sprites) {
    if (!sprites.image) warn(`sprite tileset ${sprites.name}: has no single atlas image; sprites are drawn as markers`);
    else {
      const known = new Set<string>([...content.npcs.map((n) => n.id), ...content.classes.map((c) => c.id), ...content.items.map((i) => i.id)]);
      const tiles: Record<string, number> = {};
      for (const t of sprites.tiles) {
        const p = t.properties[SPRITE_PROPERTY];
        if (!p || p.type !== 'string' || typeof p.value !== 'string' || p.value === '') continue;
        const name = p.value;
        if (Object.hasOwn(tiles, name)) warn(`sprite tileset ${sprites.name}: tile ${t.id} names sprite "${name}" again (tile ${tiles[name]} keeps it)`);
        else tiles[name] = t.id;
        if (/^(class|npc|item)\./.test(name) && !known.has(name)) warn(`sprite tileset ${sprites.name}: tile ${t.id} names "${name}", which no class, NPC template or item has`);
      }
      atlas = {
        image: place(sprites.image),
        tileWidth: sprites.tileWidth,
        tileHeight: sprites.tileHeight,
        columns: sprites.columns,
        spacing: sprites.spacing,
        margin: sprites.margin,
        tileOffsetX: sprites.tileOffsetX,
        tileOffsetY: sprites.tileOffsetY,
        tiles,
      };
    }
  }
  return {
    format: CLIENT_ENTITIES_FORMAT,
    sprites: atlas,
    npcs: content.npcs.map((n) => ({ id: n.id, name: n.name, level: n.level, hostility: n.hostility })),
    classes: content.classes.map((c) => ({
      id: c.id,
      name: c.name,
      resource: c.resource,
      skills: c.skills.map((s) => ({ skill: skillNumber.get(s.skill) ?? 0, level: s.level })).filter((s) => s.skill > 0),
    })),
    items: content.items.map((i) => clientItemOf(i, skillNumber, content.classes.map((c) => c.id))),
    skills: content.skills.map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description ?? '',
      target: s.target,
      castMs: s.castMs,
      cooldownMs: s.cooldownMs,
      cost: s.cost,
      range: s.range,
      school: s.effects.map((e) => ('school' in e ? e.school : undefined)).find((x) => x !== undefined) ?? 'physical',
      effects: s.effects.map((e) => e.type),
    })),
    quests: clientQuestsOf(content),
  };
}

/** What a tooltip shows of an item. */
function clientItemOf(i: Content['items'][number], skillNumber: ReadonlyMap<string, number>, classIds: readonly string[]): ClientItem {
  const stats: Record<string, number> = {};
  for (const [k, v] of Object.entries(i.stats ?? {})) if (typeof v === 'number' && v !== 0) stats[k] = v;
  return {
    id: i.id,
    name: i.name,
    description: i.description ?? '',
    kind: i.kind,
    slot: i.slot ?? '',
    quality: i.quality,
    stackSize: i.stackSize,
    value: i.value,
    levelRequired: i.levelRequired ?? 0,
    classes: (i.classes ?? []).map((c) => classIds.indexOf(c) + 1).filter((n) => n > 0),
    stats,
    weapon: i.weapon ? { min: i.weapon.damage.min, max: i.weapon.damage.max, intervalMs: i.weapon.intervalMs, range: i.weapon.range } : null,
    use: i.use ? { skill: skillNumber.get(i.use.skill) ?? 0, cooldownMs: i.use.cooldownMs } : null,
  };
}

/** What a client shows of each quest: names resolved, objectives as a line of text each. */
function clientQuestsOf(content: Content): ClientQuest[] {
  const npc = (id: string) => content.npcs.findIndex((n) => n.id === id) + 1;
  const npcName = (id: string) => content.npcs.find((n) => n.id === id)?.name ?? id;
  const itemName = (id: string) => content.items.find((i) => i.id === id)?.name ?? id;
  const quest = new Map(content.quests.map((q, i) => [q.id, i]));
  const area = (name: string) => name.replace(/[_-]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
  return content.quests.map((q) => ({
    id: q.id,
    name: q.name,
    description: q.description,
    completion: q.completion ?? '',
    giver: npc(q.giver),
    turnIn: npc(q.turnIn ?? q.giver),
    minLevel: q.minLevel,
    prerequisites: q.prerequisites.map((p) => quest.get(p) ?? -1).filter((n) => n >= 0),
    repeatable: q.repeatable,
    objectives: q.objectives.map((o) => {
      switch (o.type) {
        case 'kill':
          return { text: `Slay ${npcName(o.npc)}`, count: o.count };
        case 'collect':
          return { text: `Collect ${itemName(o.item)}`, count: o.count };
        case 'talk':
          return { text: `Speak with ${npcName(o.npc)}`, count: 1 };
        case 'reach':
          return { text: `Reach ${area(o.area)}`, count: 1 };
      }
    }),
    rewards: { experience: q.rewards.experience, gold: q.rewards.gold, items: q.rewards.items.map((i) => (i.count > 1 ? `${itemName(i.item)} ×${i.count}` : itemName(i.item))) },
  }));
}
