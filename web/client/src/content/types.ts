/**
 * The JSON the client loads from /content/<hash>/ (src/content/build/):
 * restated here because the build's own modules are Node code. A test
 * (test/web/client/content/types.test.ts) checks the build's types are
 * assignable to these, so a change there that the client would misread
 * fails to compile.
 */
export interface ContentPointer {
  hash: string;
  manifest: string;
}

export interface ClientManifestJson {
  format: number;
  hash: string;
  start: string;
  zones: { name: string; map: string; width: number; height: number; tileWidth: number; tileHeight: number }[];
  entities: string;
}

export interface ClientImageJson {
  path: string;
  width: number;
  height: number;
  transparentColor: string;
}

export interface ClientTilesetJson {
  firstGid: number;
  name: string;
  tileWidth: number;
  tileHeight: number;
  columns: number;
  tileCount: number;
  spacing: number;
  margin: number;
  tileOffsetX: number;
  tileOffsetY: number;
  image: ClientImageJson | null;
  images: { id: number; image: ClientImageJson }[];
  animations: { id: number; frames: { tileId: number; duration: number }[] }[];
}

interface LayerCommonJson {
  id: number;
  name: string;
  path: string;
  visible: boolean;
  opacity: number;
  offsetX: number;
  offsetY: number;
  parallaxX: number;
  parallaxY: number;
  tintColor: string;
  properties: Record<string, { type: string; value: unknown }>;
}

export type ClientLayerJson =
  | (LayerCommonJson & { kind: 'tile'; data: string })
  | (LayerCommonJson & { kind: 'object' })
  | (LayerCommonJson & { kind: 'image'; image: ClientImageJson | null; repeatX: boolean; repeatY: boolean });

export interface ClientMapJson {
  format: number;
  name: string;
  width: number;
  height: number;
  tileWidth: number;
  tileHeight: number;
  backgroundColor: string;
  properties: Record<string, { type: string; value: unknown }>;
  tilesets: ClientTilesetJson[];
  layers: ClientLayerJson[];
  terrain: string;
}

export interface ClientEntitiesJson {
  format: number;
  sprites: {
    image: ClientImageJson;
    tileWidth: number;
    tileHeight: number;
    columns: number;
    spacing: number;
    margin: number;
    tileOffsetX: number;
    tileOffsetY: number;
    tiles: Record<string, number>;
  } | null;
  npcs: { id: string; name: string; level: number; hostility: 'aggressive' | 'defensive' | 'passive' | 'friendly' }[];
  classes: { id: string; name: string; resource: 'mana' | 'energy' | 'rage'; skills: { skill: number; level: number }[] }[];
  /** Item n (an item entity's `template`, INVENTORY's) is items[n - 1]; the details came with format 4. */
  items: ClientItemJson[];
  /** Skill n (ACTION, the self record) is skills[n - 1]. */
  skills: ClientSkillJson[];
  /** Quest n (QUEST, QUEST_LOG) is quests[n]. */
  quests: ClientQuestJson[];
}

/** An item as tooltips show it (entities.json format 4; older builds have only id and name). */
export interface ClientItemJson {
  id: string;
  name: string;
  description?: string;
  kind?: string;
  /** Equipment slot name ('' for what is not worn). */
  slot?: string;
  quality?: string;
  stackSize?: number;
  value?: number;
  levelRequired?: number;
  /** Class numbers that may use it; empty: every class. */
  classes?: number[];
  /** Stat → amount while equipped (critChance and dodgeChance in parts per 10,000). */
  stats?: Record<string, number>;
  weapon?: { min: number; max: number; intervalMs: number; range: number } | null;
  /** Skill n (skills[n - 1]) it applies when used. */
  use?: { skill: number; cooldownMs: number } | null;
}

export interface ClientQuestJson {
  id: string;
  name: string;
  description: string;
  completion: string;
  /** NPC template numbers (an NPC's `template`; 0: none). */
  giver: number;
  turnIn: number;
  minLevel: number;
  prerequisites: number[];
  repeatable: boolean;
  objectives: { text: string; count: number }[];
  rewards: { experience: number; gold: number; items: string[] };
}

export interface ClientSkillJson {
  id: string;
  name: string;
  description: string;
  target: 'self' | 'enemy' | 'ally' | 'point';
  castMs: number;
  cooldownMs: number;
  cost: number;
  range: number;
  school: string;
  effects: string[];
}
