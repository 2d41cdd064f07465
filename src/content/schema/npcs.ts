/** Content schemas: NPC templates (npcs.json). */
import { z } from 'zod';
import { AI_KINDS, HOSTILITIES } from './limits.ts';
import {
  Distance,
  Experience,
  Id,
  Level,
  Name,
  Stats,
  int,
  num,
  range,
  aOrAn,
} from './common.ts';

// ---------------------------------------------------------------- NPCs

export { AI_KINDS, HOSTILITIES } from './limits.ts';

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
