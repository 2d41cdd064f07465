import { EntityFlags, EntityKind } from '../../shared/layout.ts';
import type { CellContext } from '../system.ts';
import type { NpcBrain } from './brain.ts';
import { Spawner, type NpcMemory } from './memory.ts';

/**
 * NPCs the coordinator asks for (a world event's boss): spawned at a point
 * by the cell that owns it, driven by the brain like any other, but never
 * respawned (after its corpse time a scripted NPC is gone), and dismissed,
 * wherever it walked to, when the event runs out. The cells keep no event
 * state: the coordinator learns of the kill from the players' KILL_CREDITs.
 */
export class ScriptedNpcs {
  private readonly ctx: CellContext;
  private readonly mem: NpcMemory;
  private readonly brain: NpcBrain;

  constructor(ctx: CellContext, mem: NpcMemory, brain: NpcBrain) {
    this.ctx = ctx;
    this.mem = mem;
    this.brain = brain;
  }

  /** Spawns one NPC of `template` at (x, y) (applied in the spawn phase); false for a template the content lacks. */
  spawn(template: number, x: number, y: number): boolean {
    const c = this.ctx;
    if (template < 1 || template >= c.npcs.count) return false;
    const health = c.npcs.health[template];
    c.lifecycle.spawn({
      kind: EntityKind.NPC,
      template,
      x,
      y,
      hp: health,
      maxHp: health,
      level: c.npcs.level[template],
      onSpawned: (slot) => this.brain.begin(slot, template, Spawner.SCRIPTED, 0, x, y),
      onFailed: () => {},
    });
    return true;
  }

  /** Removes every live scripted NPC of `template` this cell owns (no corpse, no credit); how many. */
  dismiss(template: number): number {
    const c = this.ctx;
    const f = c.store.f;
    const list = c.owned.list;
    let n = 0;
    for (let i = 0; i < c.owned.count; i++) {
      const slot = list[i];
      if (f.kind[slot] !== EntityKind.NPC || f.template[slot] !== template) continue;
      if (this.mem.active[slot] === 0 || this.mem.spawnKind[slot] !== Spawner.SCRIPTED) continue;
      if ((f.flags[slot] & EntityFlags.DEAD) !== 0) continue;
      this.mem.active[slot] = 0;
      this.mem.threat.clear(slot);
      c.lifecycle.despawn(slot);
      n++;
    }
    return n;
  }
}
