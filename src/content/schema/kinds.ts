import { z } from 'zod';
import {
  Chance,
  Distance,
  Experience,
  Gold,
  Id,
  ItemStack,
  Level,
  LEVEL_MAX,
  Line,
  MapId,
  MapObjectName,
  Millis,
  Name,
  QUANTITY_MAX,
  StatGrowth,
  StatModifiers,
  Stats,
  Text,
  CHANCE_SCALE,
  int,
  num,
  range,
  aOrAn,
} from './common.ts';

// ---------------------------------------------------------------- NPCs

export const AI_KINDS = ['idle', 'wander', 'patrol'] as const;
export const HOSTILITIES = ['aggressive', 'defensive', 'passive', 'friendly'] as const;

export const NpcTemplate = z
  .strictObject({
    id: Id,
    name: Name,
    level: Level,
    stats: Stats.describe('Stats at this level; health is required.'),
    speed: num(0, 20).describe('Movement speed in tiles per second.'),
    ai: z
      .enum(AI_KINDS)
      .describe('Movement when out of combat: stand (idle), roam its spawn area (wander) or follow its patrol path (patrol).'),
    hostility: z
      .enum(HOSTILITIES)
      .describe('aggressive: attacks players within aggroRadius; defensive: fights back; passive: never fights; friendly: cannot be attacked (quest givers, vendors).'),
    aggroRadius: Distance.describe('Radius in tiles within which an aggressive NPC notices players.'),
    leashRadius: Distance.describe('Distance in tiles from its spawn point past which the NPC gives up and returns; ≥ aggroRadius.'),
    wanderRadius: Distance.optional().describe('For ai "wander" outside a spawn area: roaming radius in tiles around its spawn point.'),
    attack: z
      .strictObject({
        damage: range(0, 1_000_000, 'damage'),
        intervalMs: int(200, 60_000).describe('Time between auto-attacks in ms.'),
        range: num(0, 32).describe('Auto-attack range in tiles.'),
      })
      .optional()
      .describe('Auto-attack; required unless the NPC is passive or friendly.'),
    skills: z.array(Id).max(16).default([]).describe('Skill ids the NPC may use.'),
    loot: Id.optional().describe('Loot table id rolled when the NPC dies.'),
    experience: Experience.optional().describe('Experience for the kill (shared among those who damaged it).'),
    respawnSeconds: int(1, 7 * 86_400).describe('Seconds between death and respawn.'),
    respawnJitterSeconds: int(0, 86_400).default(0).describe('Random ± seconds added to each respawn; ≤ respawnSeconds.'),
  })
  .superRefine((n, ctx) => {
    if (n.leashRadius < n.aggroRadius) ctx.addIssue({ code: 'custom', path: ['leashRadius'], message: 'must be ≥ aggroRadius' });
    if (n.respawnJitterSeconds > n.respawnSeconds)
      ctx.addIssue({ code: 'custom', path: ['respawnJitterSeconds'], message: 'must be ≤ respawnSeconds' });
    if (n.stats.health === undefined || n.stats.health < 1)
      ctx.addIssue({ code: 'custom', path: ['stats', 'health'], message: 'is required and must be ≥ 1' });
    const fights = n.hostility === 'aggressive' || n.hostility === 'defensive';
    if (fights && n.attack === undefined) ctx.addIssue({ code: 'custom', path: ['attack'], message: `is required for ${aOrAn(n.hostility)} NPC` });
    if (n.wanderRadius !== undefined && n.ai !== 'wander')
      ctx.addIssue({ code: 'custom', path: ['wanderRadius'], message: 'only applies to ai "wander"' });
  });
export type NpcTemplate = z.output<typeof NpcTemplate>;

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

// ---------------------------------------------------------------- skills

export const SCHOOLS = ['physical', 'fire', 'frost', 'nature', 'arcane', 'shadow', 'holy'] as const;
export const SKILL_TARGETS = ['self', 'enemy', 'ally', 'point'] as const;

const Amount = range(0, 1_000_000, 'amount');
const Coefficient = num(0, 100).default(0).describe('Share of attackPower or spellPower added to each hit/heal.');

const DirectDamage = z.strictObject({ type: z.literal('damage'), school: z.enum(SCHOOLS).default('physical'), amount: Amount, coefficient: Coefficient });
const DirectHeal = z.strictObject({ type: z.literal('heal'), amount: Amount, coefficient: Coefficient });
const overTime = {
  amount: Amount.describe('Per tick.'),
  coefficient: Coefficient,
  tickMs: int(100, 60_000),
  durationMs: int(100, 3_600_000),
};
const DamageOverTime = z.strictObject({ type: z.literal('damageOverTime'), school: z.enum(SCHOOLS).default('physical'), ...overTime });
const HealOverTime = z.strictObject({ type: z.literal('healOverTime'), ...overTime });
const aura = {
  stats: StatModifiers.describe('Stat changes while the aura lasts (negative values lower a stat).'),
  durationMs: int(100, 3_600_000),
  maxStacks: int(1, 100).default(1),
};
const Buff = z.strictObject({ type: z.literal('buff'), ...aura });
const Debuff = z.strictObject({ type: z.literal('debuff'), ...aura });
export const SkillEffect = z
  .discriminatedUnion('type', [DirectDamage, DirectHeal, DamageOverTime, HealOverTime, Buff, Debuff])
  .describe('One effect of the skill.');

export const Skill = z
  .strictObject({
    id: Id,
    name: Name,
    description: Text.optional(),
    target: z.enum(SKILL_TARGETS).describe('self, an enemy, an ally, or a point on the ground (needs area).'),
    castMs: Millis.default(0).describe('Cast time in ms; 0 is instant.'),
    cooldownMs: Millis.default(0),
    cost: int(0, 1_000_000).default(0).describe("Cost in the caster's resource (mana for most classes)."),
    range: num(0, 64).describe('Range in tiles from caster to target or point; 0 for self.'),
    lineOfSight: z.boolean().default(true).describe('Whether the target must be visible on the walkability grid.'),
    area: z
      .strictObject({ radius: num(0.5, 32), maxTargets: int(1, 64).default(10) })
      .optional()
      .describe('Applies the effects to everyone in the radius around the target or point.'),
    effects: z.array(SkillEffect).min(1).max(8),
  })
  .superRefine((s, ctx) => {
    if (s.target === 'point' && s.area === undefined) ctx.addIssue({ code: 'custom', path: ['area'], message: 'is required for a point-targeted skill' });
    if (s.target === 'self' && s.range !== 0) ctx.addIssue({ code: 'custom', path: ['range'], message: 'must be 0 for a self-targeted skill' });
    s.effects.forEach((e, i) => {
      if ((e.type === 'damageOverTime' || e.type === 'healOverTime') && e.durationMs < e.tickMs)
        ctx.addIssue({ code: 'custom', path: ['effects', i, 'durationMs'], message: 'must be ≥ tickMs' });
    });
  });
export type Skill = z.output<typeof Skill>;
export type SkillEffect = z.output<typeof SkillEffect>;

// ---------------------------------------------------------------- classes

export const RESOURCES = ['mana', 'energy', 'rage'] as const;

export const CharacterClass = z
  .strictObject({
    id: Id,
    name: Name,
    description: Text.optional(),
    resource: z.enum(RESOURCES).default('mana'),
    baseStats: Stats.describe('Stats at level 1; health is required.'),
    growth: StatGrowth.describe('Stats gained per level after the first.'),
    maxLevel: Level,
    experience: z
      .array(int(1, 1_000_000_000))
      .min(0)
      .max(LEVEL_MAX - 1)
      .describe('Total experience needed to reach level 2, 3, ... maxLevel (maxLevel - 1 entries, strictly increasing).'),
    skills: z
      .array(z.strictObject({ skill: Id, level: Level.default(1) }))
      .max(64)
      .default([])
      .describe('Skills learned, with the level at which they are learned.'),
    startingItems: z.array(ItemStack).max(32).default([]),
  })
  .superRefine((c, ctx) => {
    if (c.baseStats.health === undefined || c.baseStats.health < 1)
      ctx.addIssue({ code: 'custom', path: ['baseStats', 'health'], message: 'is required and must be ≥ 1' });
    if (c.experience.length !== c.maxLevel - 1)
      ctx.addIssue({
        code: 'custom',
        path: ['experience'],
        message: `must have maxLevel - 1 = ${c.maxLevel - 1} entries (one per level from 2 to ${c.maxLevel}), has ${c.experience.length}`,
      });
    for (let i = 1; i < c.experience.length; i++) {
      if (c.experience[i]! <= c.experience[i - 1]!) {
        ctx.addIssue({ code: 'custom', path: ['experience', i], message: `must be greater than the previous level's ${c.experience[i - 1]}` });
        break;
      }
    }
    c.skills.forEach((s, i) => {
      if (s.level > c.maxLevel) ctx.addIssue({ code: 'custom', path: ['skills', i, 'level'], message: `must be ≤ maxLevel (${c.maxLevel})` });
    });
  });
export type CharacterClass = z.output<typeof CharacterClass>;

// ---------------------------------------------------------------- quests

export const QuestObjective = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('kill'), npc: Id, count: int(1, 1000).default(1) }),
  z.strictObject({ type: z.literal('collect'), item: Id, count: int(1, 1000).default(1) }),
  z.strictObject({ type: z.literal('talk'), npc: Id }),
  z.strictObject({ type: z.literal('reach'), map: MapId, area: MapObjectName.describe('Name of an area object on that map.') }),
]);
export type QuestObjective = z.output<typeof QuestObjective>;

export const Quest = z
  .strictObject({
    id: Id,
    name: Name,
    description: Text.default(''),
    completion: Text.optional().describe('Text shown on turn-in.'),
    giver: Id.describe('NPC id that offers the quest.'),
    turnIn: Id.optional().describe('NPC id to turn in to; the giver when absent.'),
    minLevel: Level.default(1),
    prerequisites: z.array(Id).max(16).default([]).describe('Quest ids that must be completed first.'),
    objectives: z.array(QuestObjective).min(1).max(8),
    rewards: z
      .strictObject({
        experience: Experience.default(0),
        gold: Gold.default(0),
        items: z.array(ItemStack).max(8).default([]),
      })
      .default({ experience: 0, gold: 0, items: [] }),
    repeatable: z.boolean().default(false),
    repeatCooldownSeconds: int(0, 30 * 86_400).optional().describe('For repeatable quests: seconds before it can be taken again.'),
  })
  .superRefine((q, ctx) => {
    if (!q.repeatable && q.repeatCooldownSeconds !== undefined)
      ctx.addIssue({ code: 'custom', path: ['repeatCooldownSeconds'], message: 'only applies to repeatable quests' });
  });
export type Quest = z.output<typeof Quest>;

// ---------------------------------------------------------------- world events

const TIME_OF_DAY = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
export const EventSchedule = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('interval'),
    everySeconds: int(60, 30 * 86_400),
    offsetSeconds: int(0, 30 * 86_400).default(0).describe('Seconds after server start of the first occurrence.'),
  }),
  z.strictObject({
    type: z.literal('daily'),
    times: z
      .array(z.string().regex(TIME_OF_DAY, 'must be a time of day "HH:MM" (UTC)'))
      .min(1)
      .max(24)
      .describe('Start times of day, UTC, "HH:MM".'),
  }),
]);

export const WorldEvent = z
  .strictObject({
    id: Id,
    name: Name,
    map: MapId.describe('Map (zone) where the event takes place.'),
    schedule: EventSchedule,
    durationSeconds: int(60, 86_400).describe('The event ends when its boss dies or after this many seconds.'),
    boss: z.strictObject({ npc: Id, point: MapObjectName.describe('Name of a point object on the map where the boss spawns.') }).optional(),
    announcements: z
      .array(
        z.strictObject({
          offsetSeconds: int(-86_400, 86_400).describe('Seconds relative to the start: negative before, 0 at the start.'),
          text: Line,
        }),
      )
      .max(8)
      .default([]),
    rewards: z
      .strictObject({
        experience: Experience.default(0),
        gold: Gold.default(0),
        items: z.array(ItemStack).max(8).default([]),
      })
      .default({ experience: 0, gold: 0, items: [] })
      .describe('Given to every player who took part.'),
  })
  .superRefine((e, ctx) => {
    e.announcements.forEach((a, i) => {
      if (a.offsetSeconds > e.durationSeconds)
        ctx.addIssue({ code: 'custom', path: ['announcements', i, 'offsetSeconds'], message: `must be ≤ durationSeconds (${e.durationSeconds})` });
      if (e.schedule.type === 'interval' && -a.offsetSeconds >= e.schedule.everySeconds)
        ctx.addIssue({ code: 'custom', path: ['announcements', i, 'offsetSeconds'], message: `announces further ahead than the interval (${e.schedule.everySeconds} s)` });
    });
    if (e.schedule.type === 'interval' && e.durationSeconds > e.schedule.everySeconds)
      ctx.addIssue({ code: 'custom', path: ['durationSeconds'], message: `must be ≤ schedule.everySeconds (${e.schedule.everySeconds}) so occurrences do not overlap` });
    if (e.schedule.type === 'daily') {
      const seen = new Set<string>();
      e.schedule.times.forEach((t, i) => {
        if (seen.has(t)) ctx.addIssue({ code: 'custom', path: ['schedule', 'times', i], message: `duplicate time ${t}` });
        seen.add(t);
      });
    }
  });
export type WorldEvent = z.output<typeof WorldEvent>;

// ---------------------------------------------------------------- files

/** The content kinds, each one JSON file `<kind>.json` with a list under the same key. */
export const CONTENT_KINDS = ['npcs', 'items', 'loot', 'skills', 'classes', 'quests', 'events'] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

/** Singular names used in messages and in reference checks. */
export const ENTRY_KIND = {
  npcs: 'NPC',
  items: 'item',
  loot: 'loot table',
  skills: 'skill',
  classes: 'class',
  quests: 'quest',
  events: 'world event',
} as const satisfies Record<ContentKind, string>;

export const MAX_ENTRIES = {
  npcs: 4096,
  items: 16_384,
  loot: 4096,
  skills: 4096,
  classes: 64,
  quests: 4096,
  events: 256,
} as const satisfies Record<ContentKind, number>;

export const ENTRY_SCHEMAS = {
  npcs: NpcTemplate,
  items: Item,
  loot: LootTable,
  skills: Skill,
  classes: CharacterClass,
  quests: Quest,
  events: WorldEvent,
} as const;

const SchemaRef = z.string().max(512).describe('Path or URL of this file\'s JSON Schema, for editors.');

function fileSchema<K extends ContentKind>(kind: K) {
  return z.strictObject({
    $schema: SchemaRef.optional(),
    [kind]: z.array(ENTRY_SCHEMAS[kind]).max(MAX_ENTRIES[kind]),
  } as { $schema: z.ZodOptional<z.ZodString> } & { [P in K]: z.ZodArray<(typeof ENTRY_SCHEMAS)[K]> });
}

export const FILE_SCHEMAS = {
  npcs: fileSchema('npcs'),
  items: fileSchema('items'),
  loot: fileSchema('loot'),
  skills: fileSchema('skills'),
  classes: fileSchema('classes'),
  quests: fileSchema('quests'),
  events: fileSchema('events'),
};

/** Validated content: one list per kind, defaults applied. */
export interface Content {
  npcs: NpcTemplate[];
  items: Item[];
  loot: LootTable[];
  skills: Skill[];
  classes: CharacterClass[];
  quests: Quest[];
  events: WorldEvent[];
}

export function contentFileName(kind: ContentKind): string {
  return `${kind}.json`;
}
