/** Content schemas: Skills and character classes (skills.json, classes.json). */
import { z } from 'zod';
import { RESOURCES, SCHOOLS, SKILL_TARGETS } from './limits.ts';
import {
  Id,
  ItemStack,
  Level,
  LEVEL_MAX,
  Millis,
  Name,
  StatGrowth,
  StatModifiers,
  Stats,
  Text,
  int,
  num,
  range,
} from './common.ts';

// ---------------------------------------------------------------- skills

export { RESOURCES, SCHOOLS, SKILL_TARGETS } from './limits.ts';

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
    globalCooldownMs: Millis.default(0).describe('After using any skill, none can be used for this long (the global cooldown; 0: none). A skill\'s own cooldown runs beside it.'),
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
