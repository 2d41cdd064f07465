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
  items: { id: string; name: string }[];
  /** Skill n (ACTION, the self record) is skills[n - 1]. */
  skills: ClientSkillJson[];
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
