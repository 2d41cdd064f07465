/** Content schemas: Items and loot tables (items.json, loot.json). */
import { z } from 'zod';
import {
  Chance,
  Gold,
  Id,
  Level,
  Millis,
  Name,
  QUANTITY_MAX,
  Stats,
  Text,
  CHANCE_SCALE,
  int,
  num,
  range,
  aOrAn,
} from './common.ts';

// ---------------------------------------------------------------- items

export const ITEM_KINDS = ['weapon', 'armor', 'accessory', 'consumable', 'material', 'quest', 'misc'] as const;
export const EQUIP_SLOTS = ['head', 'neck', 'shoulders', 'chest', 'hands', 'waist', 'legs', 'feet', 'ring', 'trinket', 'mainHand', 'offHand', 'twoHand'] as const;
export const QUALITIES = ['poor', 'common', 'uncommon', 'rare', 'epic', 'legendary'] as const;
const EQUIPPABLE: ReadonlySet<string> = new Set(['weapon', 'armor', 'accessory']);

export const Item = z
  .strictObject({
    id: Id,
    name: Name,
    description: Text.optional(),
    kind: z.enum(ITEM_KINDS),
    slot: z.enum(EQUIP_SLOTS).optional().describe('Equipment slot; required for weapon, armor and accessory, refused otherwise.'),
    quality: z.enum(QUALITIES).default('common'),
    stackSize: int(1, QUANTITY_MAX).default(1).describe('Largest stack; equipment stacks to 1.'),
    value: Gold.default(0).describe('Vendor value in gold.'),
    levelRequired: Level.optional(),
    classes: z.array(Id).max(16).optional().describe('Class ids that may use it; all classes when absent.'),
    stats: Stats.optional().describe('Stats added while equipped.'),
    weapon: z
      .strictObject({
        damage: range(0, 1_000_000, 'damage'),
        intervalMs: int(200, 60_000).describe('Time between auto-attacks in ms.'),
        range: num(0, 32).default(1.5).describe('Auto-attack range in tiles.'),
      })
      .optional()
      .describe('Weapon auto-attack; only for kind "weapon".'),
    use: z
      .strictObject({
        skill: Id.describe('Skill applied when the item is used.'),
        consume: z.boolean().default(true).describe('Whether using it removes one from the stack.'),
        cooldownMs: Millis.default(0),
      })
      .optional()
      .describe('Use effect; required for consumables.'),
  })
  .superRefine((it, ctx) => {
    const equip = EQUIPPABLE.has(it.kind);
    if (equip && it.slot === undefined) ctx.addIssue({ code: 'custom', path: ['slot'], message: `is required for ${aOrAn(it.kind)}` });
    if (!equip && it.slot !== undefined) ctx.addIssue({ code: 'custom', path: ['slot'], message: `is not allowed for ${aOrAn(it.kind)}` });
    if (!equip && it.stats !== undefined) ctx.addIssue({ code: 'custom', path: ['stats'], message: `is not allowed for ${aOrAn(it.kind)} (only equipment has stats)` });
    if (equip && it.stackSize !== 1) ctx.addIssue({ code: 'custom', path: ['stackSize'], message: 'must be 1 for equipment' });
    if (it.kind === 'weapon' && it.weapon === undefined) ctx.addIssue({ code: 'custom', path: ['weapon'], message: 'is required for a weapon' });
    if (it.kind !== 'weapon' && it.weapon !== undefined) ctx.addIssue({ code: 'custom', path: ['weapon'], message: 'only applies to weapons' });
    if (it.kind === 'consumable' && it.use === undefined) ctx.addIssue({ code: 'custom', path: ['use'], message: 'is required for a consumable' });
  });
export type Item = z.output<typeof Item>;

// ---------------------------------------------------------------- loot tables

export const LootEntry = z.strictObject({
  item: Id,
  chance: Chance,
  quantity: range(1, QUANTITY_MAX, 'quantity').default({ min: 1, max: 1 }),
});
export const LootGroup = z
  .strictObject({
    name: z.string().max(64).optional(),
    rolls: int(1, 10).default(1).describe('How many times the group is rolled.'),
    entries: z.array(LootEntry).min(1).max(64),
  })
  .describe('Each roll picks at most one entry: the chances of a group sum to at most 10,000; the rest is "nothing".')
  .superRefine((g, ctx) => {
    const sum = g.entries.reduce((s, e) => s + e.chance, 0);
    if (sum > CHANCE_SCALE)
      ctx.addIssue({
        code: 'custom',
        path: ['entries'],
        message: `chances sum to ${sum.toLocaleString('en-US')} parts per 10,000 (${(sum / 100).toFixed(2)} %); a group's chances must sum to at most 10,000 (100 %)`,
      });
  });
export const LootTable = z.strictObject({
  id: Id,
  gold: range(0, 1_000_000_000, 'gold').optional().describe('Gold dropped, uniform in [min, max].'),
  groups: z.array(LootGroup).max(16),
});
export type LootTable = z.output<typeof LootTable>;
