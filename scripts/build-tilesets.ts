/**
 * Builds the default world's tileset atlases (data/tilesets/*.png) and their
 * Tiled tilesets (data/tilesets/*.tsx) from Dungeon Crawl Stone Soup's tiles
 * as Debian packages them (crawl-tiles-data 2:0.28.0-1.1). The results are
 * committed: CI and the server never need the Debian package, only a person
 * who wants to change the art does. Licence and attribution:
 * data/tilesets/LICENSE.md.
 *
 * To re-run (as root or with a writable /tmp):
 *
 *   apt-get update
 *   cd /tmp && apt-get download crawl-tiles-data=2:0.28.0-1.1
 *   dpkg-deb -x crawl-tiles-data_*.deb /tmp/crawl-tiles
 *   npm run content:tilesets        # or: CRAWL_TILES=/path/to/dat/tiles npx node scripts/build-tilesets.ts
 *
 * The Crawl atlases pack trimmed tiles; SOURCE below gives each tile used its
 * rectangle in the package's atlas (sx, sy, ex, ey) and where that rectangle
 * sits in its 32×32 cell (ox, oy), with the tile's name in Crawl. They were
 * read from the tile tables of the same version's crawl-tiles binary, and each
 * rectangle is checked to be a tight fit around the tile's opaque pixels of
 * that atlas. The source atlases are checked against their SHA-256 first, so
 * another package version fails loudly instead of cutting the wrong pixels.
 * The output is deterministic: same input, same bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';

export const TILE = 32;
export const COLUMNS = 16;
const OUT = join(import.meta.dirname, '..', 'data', 'tilesets');
const DEFAULT_SOURCE = '/tmp/crawl-tiles/usr/share/crawl/dat/tiles';

/** The package's atlases this script reads, with their SHA-256 in crawl-tiles-data 2:0.28.0-1.1. */
const ATLASES = {
  floor: '69b40830a71dd58179d394274fd3e282b6a11cc95c4183d3783da1f7cec77d0a',
  wall: 'd008771a11358c2c7c736f35bfc144d4cbf1bb1e6250ee72c1ec2a6ea723e141',
  feat: '29e1a2f78a15e59ccc8c54b1b9e36b11fa201634bd6040955986881bfb6d015d',
  main: '89f404ae30ab05c91e96d50bd166169c0819bbe61951b31ed1517c7c0cd912df',
  player: 'b96b07ad9b48b2c7a7f57677d693701b5c4a2d2b0ade22b8fd7b9afa80495556',
} as const;
type Atlas = keyof typeof ATLASES;

/** Crawl tile name → [atlas, sx, sy, ex, ey, ox, oy] in crawl-tiles-data 2:0.28.0-1.1. */
const SOURCE: Record<string, [Atlas, number, number, number, number, number, number]> = {
  DNGN_CLOSED_DOOR: ['feat', 499, 32, 531, 64, 0, 0],
  DNGN_FOUNTAIN: ['feat', 894, 384, 925, 416, 1, 0],
  DNGN_GATE_OPEN_LEFT: ['feat', 755, 32, 787, 64, 0, 0],
  DNGN_GATE_OPEN_MIDDLE: ['feat', 787, 32, 819, 40, 0, 0],
  DNGN_GATE_OPEN_RIGHT: ['feat', 819, 32, 851, 64, 0, 0],
  DNGN_GRANITE_STATUE: ['feat', 507, 128, 539, 159, 0, 0],
  DNGN_GRAVESTONE: ['feat', 573, 160, 605, 189, 0, 3],
  DNGN_GRAVESTONE_1: ['feat', 605, 160, 637, 189, 0, 3],
  DNGN_GRAVESTONE_2: ['feat', 637, 160, 669, 189, 0, 3],
  DNGN_OPEN_DOOR: ['feat', 723, 32, 755, 64, 0, 0],
  DNGN_OPEN_DOOR_CRYPT: ['feat', 928, 96, 960, 128, 0, 0],
  DNGN_STATUE_ANCIENT_HERO: ['feat', 246, 160, 277, 191, 1, 0],
  DNGN_STATUE_SWORD: ['feat', 124, 160, 153, 191, 2, 0],
  DNGN_STONE_ARCH: ['feat', 448, 128, 480, 160, 0, 0],
  DNGN_TREE: ['feat', 0, 0, 30, 32, 0, 0],
  DNGN_TREE_1: ['feat', 30, 0, 62, 31, 0, 1],
  DNGN_TREE_2: ['feat', 62, 0, 94, 31, 0, 1],
  DNGN_TREE_3: ['feat', 94, 0, 123, 32, 2, 0],
  DNGN_TREE_4: ['feat', 123, 0, 152, 32, 2, 0],
  DNGN_TREE_6: ['feat', 182, 0, 212, 32, 2, 0],
  DNGN_TREE_8: ['feat', 242, 0, 273, 31, 0, 1],
  DNGN_TREE_DEAD: ['feat', 674, 0, 702, 32, 4, 0],
  DNGN_TREE_DEAD_1: ['feat', 702, 0, 733, 30, 0, 2],
  DNGN_TREE_YELLOW: ['feat', 397, 0, 427, 32, 0, 0],
  DNGN_TREE_YELLOW_2: ['feat', 459, 0, 488, 32, 2, 0],
  SHOP_ARMOUR: ['feat', 599, 224, 631, 256, 0, 0],
  SHOP_GENERAL: ['feat', 535, 224, 567, 256, 0, 0],
  SHOP_POTIONS: ['feat', 791, 224, 823, 256, 0, 0],
  SHOP_WEAPONS: ['feat', 567, 224, 599, 256, 0, 0],
  DNGN_DEEP_WATER: ['floor', 256, 864, 288, 896, 0, 0],
  DNGN_DEEP_WATER_1: ['floor', 288, 864, 320, 896, 0, 0],
  DNGN_SHALLOW_WATER: ['floor', 320, 864, 352, 896, 0, 0],
  DNGN_SHALLOW_WATER_1: ['floor', 352, 864, 384, 896, 0, 0],
  FLOOR_CRYPT: ['floor', 32, 608, 64, 640, 0, 0],
  FLOOR_DIRT: ['floor', 416, 512, 448, 544, 0, 0],
  FLOOR_DIRT_1: ['floor', 448, 512, 480, 544, 0, 0],
  FLOOR_DIRT_2: ['floor', 480, 512, 512, 544, 0, 0],
  FLOOR_GRASS: ['floor', 832, 352, 864, 384, 0, 0],
  FLOOR_GRASS_11: ['floor', 160, 384, 192, 416, 0, 0],
  FLOOR_GRASS_1: ['floor', 864, 352, 896, 384, 0, 0],
  FLOOR_GRASS_2: ['floor', 896, 352, 928, 384, 0, 0],
  FLOOR_GRASS_3: ['floor', 928, 352, 960, 384, 0, 0],
  FLOOR_GRASS_4: ['floor', 960, 352, 992, 384, 0, 0],
  FLOOR_GRASS_5: ['floor', 992, 352, 1024, 384, 0, 0],
  FLOOR_GRASS_9: ['floor', 96, 384, 128, 416, 0, 0],
  FLOOR_GRASS_DIRT_MIX: ['floor', 480, 384, 512, 416, 0, 0],
  FLOOR_GRASS_DIRT_MIX_1: ['floor', 512, 384, 544, 416, 0, 0],
  FLOOR_LIMESTONE: ['floor', 832, 512, 864, 544, 0, 0],
  FLOOR_LIMESTONE_1: ['floor', 864, 512, 896, 544, 0, 0],
  FLOOR_LIMESTONE_2: ['floor', 896, 512, 928, 544, 0, 0],
  FLOOR_MOSS: ['floor', 192, 192, 224, 224, 0, 0],
  FLOOR_MUD: ['floor', 192, 160, 224, 192, 0, 0],
  FLOOR_PEBBLE: ['floor', 576, 0, 608, 32, 0, 0],
  FLOOR_PEBBLE_1: ['floor', 608, 0, 640, 32, 0, 0],
  FLOOR_PEBBLE_2: ['floor', 640, 0, 672, 32, 0, 0],
  FLOOR_ROUGH_BROWN: ['floor', 32, 288, 64, 320, 0, 0],
  FLOOR_SAND: ['floor', 288, 320, 320, 352, 0, 0],
  FLOOR_SANDSTONE: ['floor', 96, 352, 128, 384, 0, 0],
  FLOOR_TOMB: ['floor', 960, 224, 992, 256, 0, 0],
  FLOOR_WOODGROUND: ['floor', 928, 768, 960, 800, 0, 0],
  FLOOR_WOODGROUND_1: ['floor', 960, 768, 992, 800, 0, 0],
  FLOOR_WOODGROUND_2: ['floor', 992, 768, 1024, 800, 0, 0],
  FLOOR_W_MARBLE: ['floor', 128, 544, 160, 576, 0, 0],
  HALO_GRASS: ['floor', 192, 384, 224, 416, 0, 0],
  HALO_GRASS_1: ['floor', 224, 384, 256, 416, 0, 0],
  HALO_GRASS_2: ['floor', 256, 384, 288, 416, 0, 0],
  HALO_GRASS_3: ['floor', 288, 384, 320, 416, 0, 0],
  HALO_GRASS_4: ['floor', 320, 384, 352, 416, 0, 0],
  HALO_GRASS_5: ['floor', 352, 384, 384, 416, 0, 0],
  HALO_GRASS_6: ['floor', 384, 384, 416, 416, 0, 0],
  HALO_GRASS_7: ['floor', 416, 384, 448, 416, 0, 0],
  HALO_GRASS_8: ['floor', 448, 384, 480, 416, 0, 0],
  AMU_NORMAL_OFFSET: ['main', 582, 474, 614, 506, 0, 0],
  ARM_BOOTS: ['main', 30, 381, 61, 406, 1, 7],
  ARM_CLOAK: ['main', 410, 319, 440, 344, 1, 5],
  ARM_GLOVES: ['main', 893, 349, 924, 378, 0, 1],
  ARM_LEATHER_ARMOUR: ['main', 470, 288, 496, 317, 6, 1],
  ARM_ROBE: ['main', 290, 288, 320, 317, 2, 1],
  CORPSE_BLACK_BEAR: ['main', 901, 689, 933, 712, 0, 8],
  CORPSE_HOG: ['main', 744, 689, 775, 711, 1, 9],
  CORPSE_HUMAN: ['main', 778, 769, 809, 792, 1, 8],
  CORPSE_WOLF: ['main', 712, 689, 744, 711, 0, 8],
  FOOD_BONE: ['main', 533, 413, 553, 429, 6, 8],
  FOOD_BONE_1: ['main', 553, 413, 572, 433, 6, 7],
  FOOD_BONE_HUMANOID: ['main', 429, 413, 449, 437, 5, 4],
  FOOD_CHUNK: ['main', 622, 413, 654, 433, 0, 6],
  FOOD_RATION: ['main', 969, 381, 996, 406, 3, 3],
  GOLD05: ['main', 154, 689, 172, 715, 9, 3],
  POTION_OFFSET_1: ['main', 898, 506, 923, 533, 7, 2],
  POTION_OFFSET_8: ['main', 50, 538, 75, 565, 7, 2],
  RING_NORMAL_OFFSET: ['main', 567, 444, 583, 460, 8, 8],
  SCROLL: ['main', 780, 413, 807, 441, 2, 2],
  WPN_DAGGER: ['main', 559, 128, 576, 145, 7, 8],
  WPN_LONG_SWORD: ['main', 973, 128, 1001, 156, 2, 2],
  WPN_QUARTERSTAFF: ['main', 621, 192, 653, 223, 0, 1],
  WPN_SHORT_SWORD: ['main', 614, 128, 637, 151, 5, 5],
  MONS_ANCIENT_CHAMPION: ['player', 944, 1510, 973, 1542, 2, 0],
  MONS_BLACK_BEAR: ['player', 881, 998, 913, 1027, 0, 3],
  MONS_BUSH: ['player', 589, 1382, 621, 1404, 0, 8],
  MONS_BUSH_1: ['player', 621, 1382, 653, 1405, 0, 8],
  MONS_EDMUND: ['player', 632, 1190, 661, 1221, 2, 1],
  MONS_HOG: ['player', 64, 742, 96, 770, 0, 2],
  MONS_HUMAN_2: ['player', 349, 1222, 375, 1253, 3, 1],
  MONS_JOSEPH: ['player', 886, 1190, 913, 1222, 4, 0],
  MONS_LOUISE: ['player', 965, 1190, 989, 1220, 5, 0],
  MONS_MARA: ['player', 988, 1094, 1014, 1126, 3, 0],
  MONS_MAURICE: ['player', 27, 1222, 54, 1254, 2, 0],
  MONS_PSYCHE: ['player', 86, 1222, 111, 1253, 4, 1],
  MONS_SKELETAL_WARRIOR: ['player', 916, 1510, 944, 1542, 2, 0],
  MONS_SKELETON_MEDIUM: ['player', 546, 1622, 573, 1652, 3, 2],
  MONS_SONJA: ['player', 127, 1350, 157, 1382, 2, 0],
  MONS_VAULT_GUARD: ['player', 473, 1222, 499, 1253, 5, 1],
  MONS_VAULT_WARDEN: ['player', 499, 1222, 525, 1254, 5, 0],
  MONS_WARG: ['player', 921, 694, 952, 726, 1, 0],
  MONS_WIZARD: ['player', 450, 1222, 473, 1254, 5, 0],
  MONS_WOLF: ['player', 952, 694, 984, 726, 0, 0],
  WALL_BARS_BROWN: ['wall', 416, 1184, 448, 1216, 0, 0],
  WALL_BRICK: ['wall', 0, 96, 32, 128, 0, 0],
  WALL_BRICK_1: ['wall', 32, 96, 64, 128, 0, 0],
  WALL_BRICK_2: ['wall', 64, 96, 96, 128, 0, 0],
  WALL_BRICK_LIGHTGRAY: ['wall', 512, 128, 544, 160, 0, 0],
  WALL_BRICK_LIGHTGRAY_1: ['wall', 544, 128, 576, 160, 0, 0],
  WALL_BRICK_LIGHTGRAY_2: ['wall', 576, 128, 608, 160, 0, 0],
  WALL_CATACOMBS: ['wall', 544, 864, 576, 896, 0, 0],
  WALL_PEBBLE_BROWN: ['wall', 480, 448, 512, 480, 0, 0],
  WALL_PEBBLE_LIGHTGRAY: ['wall', 608, 448, 640, 480, 0, 0],
  WALL_PEBBLE_LIGHTGRAY_1: ['wall', 640, 448, 672, 480, 0, 0],
  WALL_STONE_MOSSY: ['wall', 32, 608, 64, 640, 0, 0],
  WALL_STONE_MOSSY_1: ['wall', 64, 608, 96, 640, 0, 0],
  WALL_STONE_MOSSY_2: ['wall', 96, 608, 128, 640, 0, 0],
  WALL_STONE_MOSSY_3: ['wall', 128, 608, 160, 640, 0, 0],
  WALL_ZOT_BROWN: ['wall', 992, 352, 1024, 384, 0, 0],
  WALL_ZOT_BROWN_1: ['wall', 0, 384, 32, 416, 0, 0],
  WALL_ZOT_RED: ['wall', 736, 352, 768, 384, 0, 0],
  WALL_ZOT_RED_1: ['wall', 768, 352, 800, 384, 0, 0],
};

/** One tile of a tileset: where its pixels come from and what Tiled should know about it. */
export interface TileDef {
  /** Crawl's name of the source tile. */
  crawl: string;
  /** Tiled class (the tile's "type"). */
  type: string;
  /** Blocks movement (bool property `collides`). */
  collides?: boolean;
  /** For the sprites tileset: the content id or key the client draws it for. */
  sprite?: string;
  /** Keep only the rows above this one (a tree's crown for the "above" layer). */
  cropBelow?: number;
}

const t = (crawl: string, type: string, extra: Partial<TileDef> = {}): TileDef => ({ crawl, type, ...extra });
const wall = (crawl: string, type: string): TileDef => t(crawl, type, { collides: true });

/**
 * The terrain tileset, in tile-id order (16 to a row). Names in the `type`
 * column are what scripts/draw-default-world.ts paints with.
 */
export const TERRAIN: TileDef[] = [
  // 0: grass, meadow, forest floor
  t('FLOOR_GRASS', 'grass'), t('FLOOR_GRASS_1', 'grass'), t('FLOOR_GRASS_2', 'grass'), t('FLOOR_GRASS_3', 'grass'),
  t('FLOOR_GRASS_4', 'grass'), t('FLOOR_GRASS_5', 'grass'), t('FLOOR_GRASS_9', 'flowers'), t('FLOOR_GRASS_11', 'flowers'),
  t('FLOOR_GRASS_DIRT_MIX', 'meadow'), t('FLOOR_GRASS_DIRT_MIX_1', 'meadow'), t('FLOOR_WOODGROUND', 'forest-floor'), t('FLOOR_WOODGROUND_1', 'forest-floor'),
  t('FLOOR_WOODGROUND_2', 'forest-floor'), t('FLOOR_MUD', 'mud'), t('FLOOR_MOSS', 'moss'), t('FLOOR_SAND', 'sand'),
  // 16: a sandy path edged with grass on the named side (N, NE, E, SE, S, SW, W, NW, none), dirt, streets, floors
  t('HALO_GRASS', 'path-n'), t('HALO_GRASS_1', 'path-ne'), t('HALO_GRASS_2', 'path-e'), t('HALO_GRASS_3', 'path-se'),
  t('HALO_GRASS_4', 'path-s'), t('HALO_GRASS_5', 'path-sw'), t('HALO_GRASS_6', 'path-w'), t('HALO_GRASS_7', 'path-nw'),
  t('HALO_GRASS_8', 'path'), t('FLOOR_DIRT', 'dirt'), t('FLOOR_DIRT_1', 'dirt'), t('FLOOR_DIRT_2', 'dirt'),
  t('FLOOR_LIMESTONE', 'street'), t('FLOOR_LIMESTONE_1', 'street'), t('FLOOR_LIMESTONE_2', 'street'), t('FLOOR_SANDSTONE', 'floor-stone'),
  // 32: floors, water, town wall, house wall
  t('FLOOR_ROUGH_BROWN', 'floor-wood'), t('FLOOR_PEBBLE', 'cobbles'), t('FLOOR_PEBBLE_1', 'cobbles'), t('FLOOR_PEBBLE_2', 'cobbles'),
  t('FLOOR_CRYPT', 'floor-crypt'), t('FLOOR_TOMB', 'floor-tomb'), t('FLOOR_W_MARBLE', 'floor-marble'), t('DNGN_SHALLOW_WATER', 'shallow-water'),
  t('DNGN_SHALLOW_WATER_1', 'shallow-water'), wall('DNGN_DEEP_WATER', 'deep-water'), wall('DNGN_DEEP_WATER_1', 'deep-water'), wall('WALL_BRICK_LIGHTGRAY', 'town-wall'),
  wall('WALL_BRICK_LIGHTGRAY_1', 'town-wall'), wall('WALL_BRICK_LIGHTGRAY_2', 'town-wall'), wall('WALL_BRICK', 'house-wall'), wall('WALL_BRICK_1', 'house-wall'),
  // 48: more walls, rocks, palisade, roofs (above layer), trees
  wall('WALL_BRICK_2', 'house-wall'), wall('WALL_STONE_MOSSY', 'ruin-wall'), wall('WALL_STONE_MOSSY_1', 'ruin-wall'), wall('WALL_STONE_MOSSY_2', 'ruin-wall'),
  wall('WALL_STONE_MOSSY_3', 'ruin-wall'), wall('WALL_CATACOMBS', 'crypt-wall'), wall('WALL_PEBBLE_LIGHTGRAY', 'boulder'), wall('WALL_PEBBLE_LIGHTGRAY_1', 'boulder'),
  wall('WALL_PEBBLE_BROWN', 'rock'), wall('WALL_BARS_BROWN', 'palisade'), t('WALL_ZOT_RED', 'roof-red'), t('WALL_ZOT_RED_1', 'roof-red'),
  t('WALL_ZOT_BROWN', 'roof-thatch'), t('WALL_ZOT_BROWN_1', 'roof-thatch'), wall('DNGN_TREE', 'tree'), wall('DNGN_TREE_1', 'tree'),
  // 64: trees, bushes, doors and gates
  wall('DNGN_TREE_2', 'tree'), wall('DNGN_TREE_3', 'tree'), wall('DNGN_TREE_4', 'tree'), wall('DNGN_TREE_6', 'pine'),
  wall('DNGN_TREE_8', 'tree'), wall('DNGN_TREE_YELLOW', 'tree-autumn'), wall('DNGN_TREE_YELLOW_2', 'tree-autumn'), wall('DNGN_TREE_DEAD', 'tree-dead'),
  wall('DNGN_TREE_DEAD_1', 'tree-dead'), wall('MONS_BUSH', 'bush'), wall('MONS_BUSH_1', 'bush'), wall('DNGN_CLOSED_DOOR', 'door-closed'),
  t('DNGN_OPEN_DOOR', 'door-open'), t('DNGN_GATE_OPEN_LEFT', 'gate-left'), t('DNGN_GATE_OPEN_MIDDLE', 'gate-middle'), t('DNGN_GATE_OPEN_RIGHT', 'gate-right'),
  // 80: dungeon door, arch, town furniture, shop fronts, tree crowns (above layer)
  t('DNGN_OPEN_DOOR_CRYPT', 'door-crypt'), t('DNGN_STONE_ARCH', 'arch'), wall('DNGN_FOUNTAIN', 'fountain'), wall('DNGN_GRAVESTONE', 'grave'),
  wall('DNGN_GRAVESTONE_1', 'grave'), wall('DNGN_GRAVESTONE_2', 'grave'), wall('DNGN_GRANITE_STATUE', 'statue'), wall('DNGN_STATUE_SWORD', 'statue'),
  wall('DNGN_STATUE_ANCIENT_HERO', 'statue'), wall('SHOP_GENERAL', 'shop-general'), wall('SHOP_WEAPONS', 'shop-weapons'), wall('SHOP_ARMOUR', 'shop-armour'),
  wall('SHOP_POTIONS', 'shop-potions'), t('DNGN_TREE_1', 'canopy', { cropBelow: 22 }), t('DNGN_TREE_3', 'canopy', { cropBelow: 22 }), t('DNGN_TREE_8', 'canopy', { cropBelow: 22 }),
];

const s = (crawl: string, sprite: string, type: string): TileDef => ({ crawl, sprite, type });

/** The sprite tileset: what the browser client draws for players by class, NPCs by template, ground items and corpses. */
export const SPRITES: TileDef[] = [
  // 0: players by class
  s('MONS_EDMUND', 'class.warrior', 'player'), s('MONS_WIZARD', 'class.mage', 'player'), s('MONS_MAURICE', 'class.rogue', 'player'),
  // 3: friendly NPCs
  s('MONS_MARA', 'npc.elder_maren', 'npc'), s('MONS_VAULT_GUARD', 'npc.town_guard', 'npc'), s('MONS_VAULT_WARDEN', 'npc.captain_hale', 'npc'),
  s('MONS_HUMAN_2', 'npc.merchant_odo', 'npc'), s('MONS_PSYCHE', 'npc.herbalist_lina', 'npc'), s('MONS_JOSEPH', 'npc.scout_bryn', 'npc'),
  // 9: hostile NPCs and the boss
  s('MONS_WOLF', 'npc.wolf', 'npc'), s('MONS_WARG', 'npc.dire_wolf', 'npc'), s('MONS_HOG', 'npc.boar', 'npc'),
  s('MONS_BLACK_BEAR', 'npc.black_bear', 'npc'), s('MONS_SONJA', 'npc.bandit', 'npc'), s('MONS_LOUISE', 'npc.bandit_brute', 'npc'),
  s('MONS_SKELETON_MEDIUM', 'npc.skeleton', 'npc'), s('MONS_SKELETAL_WARRIOR', 'npc.skeleton_warrior', 'npc'), s('MONS_ANCIENT_CHAMPION', 'npc.barrow_king', 'npc'),
  // 18: items on the ground
  s('GOLD05', 'gold', 'item'), s('POTION_OFFSET_8', 'item.health_potion', 'item'), s('POTION_OFFSET_1', 'item.mana_potion', 'item'),
  s('WPN_SHORT_SWORD', 'item.rusty_sword', 'item'), s('WPN_LONG_SWORD', 'item.militia_longsword', 'item'), s('WPN_QUARTERSTAFF', 'item.oak_staff', 'item'),
  s('WPN_DAGGER', 'item.worn_dagger', 'item'), s('ARM_LEATHER_ARMOUR', 'item.leather_jerkin', 'item'), s('ARM_ROBE', 'item.apprentice_robe', 'item'),
  s('ARM_BOOTS', 'item.traveler_boots', 'item'), s('ARM_CLOAK', 'item.wolf_pelt', 'item'), s('ARM_GLOVES', 'item.leather_gloves', 'item'),
  s('AMU_NORMAL_OFFSET', 'item.barrow_amulet', 'item'), s('RING_NORMAL_OFFSET', 'item.signet_ring', 'item'), s('SCROLL', 'item.stolen_ledger', 'item'),
  s('FOOD_BONE', 'item.bone_fragment', 'item'), s('FOOD_BONE_1', 'item.boar_tusk', 'item'), s('FOOD_CHUNK', 'item.bear_meat', 'item'),
  s('FOOD_RATION', 'item.bread', 'item'),
  // 37: corpses
  s('CORPSE_HUMAN', 'corpse', 'corpse'), s('CORPSE_WOLF', 'corpse.wolf', 'corpse'), s('CORPSE_HOG', 'corpse.boar', 'corpse'),
  s('CORPSE_BLACK_BEAR', 'corpse.bear', 'corpse'), s('FOOD_BONE_HUMANOID', 'corpse.bones', 'corpse'),
];

/** Index of the first tile of that type (the draw script paints with these). */
export function tileOf(defs: readonly TileDef[], type: string): number {
  const i = defs.findIndex((d) => d.type === type);
  if (i < 0) throw new Error(`no tile of type ${type}`);
  return i;
}

/** Every tile id of that type (variants). */
export function tilesOf(defs: readonly TileDef[], type: string): number[] {
  const out = defs.flatMap((d, i) => (d.type === type ? [i] : []));
  if (out.length === 0) throw new Error(`no tile of type ${type}`);
  return out;
}

function readAtlas(dir: string, atlas: Atlas): PNG {
  const file = join(dir, `${atlas}.png`);
  if (!existsSync(file)) throw new Error(`${file} not found: extract crawl-tiles-data 2:0.28.0-1.1 first (see the top of this script)`);
  const bytes = readFileSync(file);
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== ATLASES[atlas]) throw new Error(`${file}: SHA-256 ${sha} is not that of crawl-tiles-data 2:0.28.0-1.1; the rectangles here are for that version`);
  return PNG.sync.read(bytes);
}

/** Composes a 32×32-cell atlas of the given tiles, 16 to a row. */
function compose(atlases: Map<Atlas, PNG>, defs: readonly TileDef[]): PNG {
  const rows = Math.ceil(defs.length / COLUMNS);
  const out = new PNG({ width: COLUMNS * TILE, height: rows * TILE, colorType: 6 });
  out.data.fill(0);
  defs.forEach((d, i) => {
    const src = SOURCE[d.crawl];
    if (src === undefined) throw new Error(`no source rectangle for ${d.crawl}`);
    const [atlas, sx, sy, ex, ey, ox, oy] = src;
    const png = atlases.get(atlas)!;
    checkTight(png, d.crawl, sx, sy, ex, ey);
    const cx = (i % COLUMNS) * TILE;
    const cy = Math.floor(i / COLUMNS) * TILE;
    for (let y = sy; y < ey; y++) {
      const ty = oy + y - sy;
      if (ty >= TILE || (d.cropBelow !== undefined && ty >= d.cropBelow)) continue;
      for (let x = sx; x < ex; x++) {
        const tx = ox + x - sx;
        if (tx >= TILE) continue;
        const from = (y * png.width + x) * 4;
        const to = ((cy + ty) * out.width + cx + tx) * 4;
        png.data.copy(out.data, to, from, from + 4);
      }
    }
  });
  return out;
}

/** The rectangle must touch opaque pixels on all four edges (Crawl trims each tile to its opaque box). */
function checkTight(png: PNG, name: string, sx: number, sy: number, ex: number, ey: number): void {
  const alpha = (x: number, y: number) => png.data[(y * png.width + x) * 4 + 3]!;
  let top = false, bottom = false, left = false, right = false;
  for (let x = sx; x < ex; x++) {
    top ||= alpha(x, sy) > 0;
    bottom ||= alpha(x, ey - 1) > 0;
  }
  for (let y = sy; y < ey; y++) {
    left ||= alpha(sx, y) > 0;
    right ||= alpha(ex - 1, y) > 0;
  }
  if (!(top && bottom && left && right)) throw new Error(`${name}: rectangle ${sx},${sy}-${ex},${ey} is not the tile's opaque box; wrong atlas version?`);
}

const xmlEscape = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A TSX tileset as Tiled 1.10 saves it (properties sorted by name). */
export function tsx(name: string, image: string, defs: readonly TileDef[]): string {
  const rows = Math.ceil(defs.length / COLUMNS);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<tileset version="1.10" tiledversion="1.10.2" name="${name}" tilewidth="${TILE}" tileheight="${TILE}" tilecount="${defs.length}" columns="${COLUMNS}">`,
    ` <image source="${image}" width="${COLUMNS * TILE}" height="${rows * TILE}"/>`,
  ];
  defs.forEach((d, id) => {
    lines.push(` <tile id="${id}" type="${xmlEscape(d.type)}">`, '  <properties>');
    if (d.collides) lines.push('   <property name="collides" type="bool" value="true"/>');
    lines.push(`   <property name="crawl" value="${xmlEscape(d.crawl)}"/>`);
    if (d.sprite !== undefined) lines.push(`   <property name="sprite" value="${xmlEscape(d.sprite)}"/>`);
    lines.push('  </properties>', ' </tile>');
  });
  lines.push('</tileset>', '');
  return lines.join('\n');
}

function main(): void {
  const dir = process.env.CRAWL_TILES ?? DEFAULT_SOURCE;
  const atlases = new Map<Atlas, PNG>();
  for (const atlas of Object.keys(ATLASES) as Atlas[]) atlases.set(atlas, readAtlas(dir, atlas));
  for (const [name, defs] of [['terrain', TERRAIN], ['sprites', SPRITES]] as const) {
    const png = compose(atlases, defs);
    writeFileSync(join(OUT, `${name}.png`), PNG.sync.write(png, { colorType: 6, deflateLevel: 9, deflateStrategy: 3, filterType: -1 }));
    writeFileSync(join(OUT, `${name}.tsx`), tsx(name, `${name}.png`, defs));
    console.log(`data/tilesets/${name}.png: ${defs.length} tiles, ${png.width}x${png.height}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
