import { CombatCheckpoints } from '../combat/checkpoint.ts';
import { Actions } from '../combat/actions.ts';
import { AutoAttack } from '../combat/auto-attack.ts';
import { DamagePath } from '../combat/damage.ts';
import { CombatCarry } from '../combat/carry.ts';
import { ExperienceConfirm } from '../combat/experience.ts';
import { CombatPart } from '../combat/part.ts';
import { NpcSkills } from '../combat/npc-skills.ts';
import { PeriodicEffects } from '../combat/periodic.ts';
import { PlayerLife } from '../combat/player-life.ts';
import { Progression } from '../combat/progression.ts';
import { regenerate } from '../combat/regen.ts';
import { CombatSenses } from '../combat/senses.ts';
import { SkillCaster } from '../combat/skills.ts';
import { CombatSnapshot } from '../combat/snapshot-extras.ts';
import { CombatState } from '../combat/state.ts';
import { Targeting } from '../combat/targeting.ts';
import type { CellContext, System } from '../system.ts';
import type { WalkGrid } from '../walk-grid.ts';

/**
 * One cell's combat (src/workers/combat/, docs/game.md): what the other
 * systems reach of it. The NPC AI swings through `autoAttack` and
 * registers its NPCs' death rules on `state`; replication writes each
 * player's events and self record through `snapshot`.
 */
export interface Combat {
  readonly state: CombatState;
  readonly damage: DamagePath;
  readonly autoAttack: AutoAttack;
  /** Skills' effects (items apply their use skill through it). */
  readonly skills: SkillCaster;
  /** NPCs' skills, used instead of a due swing (npc-ai.ts). */
  readonly npcSkills: NpcSkills;
  readonly snapshot: CombatSnapshot;
  readonly systems: System[];
}

/**
 * Builds a cell's combat: its state and private part, the event handlers
 * that apply hits, heals, auras, experience and kills, the ACTION hook of
 * the cell's players, and three systems:
 *
 * - `combat` (simulate): last tick's area skills land, auras tick, each
 *   player's actions, cast and auto-attack, then regeneration;
 * - `combat-log` (publish): this tick's combat events into the shared log;
 * - `combat-senses` (replicate): what the players' targets and this tick's
 *   areas are, for the next simulate.
 */
const byCell = new WeakMap<CellContext, Combat>();

/** The combat of a cell built by createCombat (tests and tools look at its state). */
export function combatOf(ctx: CellContext): Combat | undefined {
  return byCell.get(ctx);
}

export function createCombat(ctx: CellContext, grid?: WalkGrid): Combat {
  const state = new CombatState(ctx, grid);
  const part = new CombatPart(state);
  ctx.parts.register(part);
  // Players' combat state handed to the coordinator before each frame that shows a change; read back after a restart.
  const checkpoints = new CombatCheckpoints(state, part, ctx.gateOut.ring);
  part.restore = (slot, handle) => checkpoints.restore(slot, handle);
  const damage = new DamagePath(state);
  const periodic = new PeriodicEffects(state, damage);
  const progression = new Progression(state);
  // Experience told only once the coordinator confirmed it durable (ZoneSpec.confirmExperience).
  const experience = new ExperienceConfirm(state, progression, ctx.gateOut.ring);
  part.onRelease = (slot) => {
    checkpoints.forget(slot);
    experience.forget(slot);
  };
  const senses = new CombatSenses(state);
  const targeting = new Targeting(state, senses);
  const skills = new SkillCaster(state, senses, targeting, damage);
  const life = new PlayerLife(state, skills);
  const actions = new Actions(state, targeting, skills, life);
  const autoAttack = new AutoAttack(state, targeting, damage);
  const npcSkills = new NpcSkills(state, skills);
  ctx.players.onAction = (slot, m) => actions.receive(slot, m);
  ctx.players.onReward = (slot, xp, seq) => {
    progression.grant(slot, xp, seq);
    // Its REWARDED (written next) asks the coordinator to make it durable.
    experience.reported(slot);
  };
  const carry = new CombatCarry(state);
  ctx.players.carryOut = (slot, w) => carry.write(slot, w);
  ctx.players.onCarry = (slot, bytes) => carry.read(slot, bytes);
  const snapshot = new CombatSnapshot(state);
  snapshot.checkpointer = checkpoints;
  snapshot.experience = experience;
  const players = state.players;
  ctx.players.onResync = (slot) => {
    const p = players[slot];
    if (p) p.hasAction = false;
  };

  const systems: System[] = [
    {
      name: 'combat',
      phase: 'simulate',
      run(c) {
        skills.applyAreas();
        periodic.tick();
        const list = c.players.slots.list;
        for (let i = c.players.slots.count - 1; i >= 0; i--) {
          const slot = list[i];
          const p = players[slot];
          if (!p) continue;
          actions.run(slot, p);
          skills.progress(slot, p);
          autoAttack.player(slot, p);
        }
        regenerate(state);
      },
    },
    {
      name: 'combat-log',
      phase: 'publish',
      run(c) {
        state.log.publish(c.tick);
      },
    },
    {
      name: 'combat-senses',
      phase: 'replicate',
      run(c) {
        senses.sense(c.tick, c.store.f.target);
      },
    },
  ];
  const combat = { state, damage, autoAttack, skills, npcSkills, snapshot, systems };
  byCell.set(ctx, combat);
  return combat;
}
