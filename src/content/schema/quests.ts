/** Content schemas: Quests and world events (quests.json, events.json). */
import { z } from 'zod';
import {
  Experience,
  Gold,
  Id,
  ItemStack,
  Level,
  Line,
  MapId,
  MapObjectName,
  Name,
  Text,
  int,
} from './common.ts';

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
