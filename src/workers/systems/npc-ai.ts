import { indexOf } from '../../shared/entity-store.ts';
import { EntityFlags, EntityKind, StatSlot } from '../../shared/layout.ts';
import { Rng } from '../../shared/random.ts';
import { EventType } from '../event-types.ts';
import { NpcBrain } from '../npc/brain.ts';
import { NpcMemory } from '../npc/memory.ts';
import { NpcPaths } from '../npc/paths.ts';
import { NpcSenses } from '../npc/senses.ts';
import { NpcSpawners } from '../npc/spawners.ts';
import { ScriptedNpcs } from '../npc/scripted.ts';
import { GateMsg } from '../../shared/messages/gate-to-cell.ts';
import type { CellContext, System } from '../system.ts';
import type { WalkGrid } from '../walk-grid.ts';
import { shareExperience } from '../npc/deaths.ts';
import type { Combat } from './combat.ts';
import type { GroundItems } from '../items/ground-items.ts';

/** A* nodes a cell may expand per tick, shared by all its NPCs (a search that runs out resumes next tick). */
export const PATH_NODE_BUDGET = 2000;

/**
 * The NPCs of the content (those with a template): spawned from the zone
 * map's spawn areas and placements, driven by NpcBrain (idle, wander,
 * patrol, aggro, chase, attack, evade, dead), their memory handed off with
 * them. Two systems: `npc-ai` decides in the simulate phase, `npc-senses`
 * takes what the NPCs can perceive in the replicate half (npc/senses.ts).
 * NPCs fight through `combat`: their swings go through its auto-attack
 * (the same damage path as players'), and when combat kills one, those on
 * its threat table share its experience and it lies as a corpse.
 */
export function npcAi(ctx: CellContext, combat: Combat, grid?: WalkGrid, ground?: GroundItems): System[] {
  const cap = ctx.store.capacity;
  const mem = new NpcMemory(cap);
  const senses = new NpcSenses(ctx.views, ctx.rect);
  const paths = new NpcPaths(ctx.map, mem, { maxNodes: 4096, maxPath: 512, maxQueued: 256, grid });
  const rng = new Rng(0x5eed ^ (ctx.cell * 7919));
  const spawners = new NpcSpawners(ctx.zoneMap, ctx.npcs, (x, y) => paths.finder.walkable(x, y), () => rng.float());
  const swing = combat.autoAttack;
  const skills = combat.npcSkills;
  // A due swing is a skill when one is ready and fits (combat/npc-skills.ts), else the auto-attack.
  const brain = new NpcBrain(ctx, mem, senses, paths, spawners, rng, (slot, target, damage) => {
    const ts = indexOf(target);
    if (!skills.use(slot, target, senses.seenX[ts], senses.seenY[ts])) swing.npc(slot, target, damage);
  });
  ctx.parts.register(mem);
  combat.state.onDeath(EntityKind.NPC, {
    die(slot, killer, credit) {
      if (credit) {
        shareExperience(ctx, mem, slot);
        ground?.dropLoot(slot, killer);
      }
      brain.die(slot);
    },
  });

  const found = new Int32Array(2);
  mem.onRecover = (slot) => {
    const f = ctx.store.f;
    const template = f.template[slot];
    if (template === 0 || template >= ctx.npcs.count) return true; // a generic wanderer: not ours
    spawners.recover(template, f.x[slot], f.y[slot], found);
    brain.begin(slot, template, found[0], found[1], f.x[slot], f.y[slot]);
    if ((f.flags[slot] & EntityFlags.DEAD) !== 0) {
      // Dead when the cell went down: the respawn clock starts again.
      f.flags[slot] &= ~EntityFlags.HIDDEN;
      brain.die(slot);
    }
    return true;
  };

  ctx.events.on(EventType.THREAT, (e, slot) => brain.onThreat(slot, e.source, e.a, e.b));

  const scripted = new ScriptedNpcs(ctx, mem, brain);
  ctx.players.onScript = (m) => {
    if (m.op === GateMsg.SPAWN_NPC) scripted.spawn(m.template, m.x, m.y);
    else scripted.dismiss(m.template);
  };
  let spawned = ctx.restarted;
  return [
    {
      name: 'npc-ai',
      phase: 'simulate',
      run(c) {
        if (!spawned) {
          spawned = true;
          spawnInitial(c, spawners, brain);
        }
        paths.step(PATH_NODE_BUDGET);
        brain.think();
        c.stats[StatSlot.npcPathFound] = paths.found;
        c.stats[StatSlot.npcPathFailures] = paths.failures;
        c.stats[StatSlot.npcPathNodes] = paths.finder.nodesTotal;
      },
    },
    {
      name: 'npc-senses',
      phase: 'replicate',
      run(c) {
        senses.sense(c.tick);
      },
    },
  ];
}

/** Spawns the NPCs of the spawners this cell is home to (on the first tick of a fresh start). */
function spawnInitial(c: CellContext, spawners: NpcSpawners, brain: NpcBrain): void {
  for (const s of spawners.initial(c.views.geometry, c.cell)) {
    const health = c.npcs.health[s.template];
    c.lifecycle.spawn({
      kind: EntityKind.NPC,
      template: s.template,
      x: s.x,
      y: s.y,
      hp: health,
      maxHp: health,
      level: c.npcs.level[s.template],
      onSpawned: (slot) => brain.begin(slot, s.template, s.spawnKind, s.spawnIndex, c.store.f.x[slot], c.store.f.y[slot]),
      onFailed: () => {
        throw new Error(`zone full: cannot spawn NPC ${c.npcs.ids[s.template]}`);
      },
    });
  }
}
