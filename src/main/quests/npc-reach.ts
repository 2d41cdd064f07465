import { TALK_RANGE } from '../../protocol/quest-codes.ts';
import { indexOf, type EntityStore } from '../../shared/entity-store.ts';
import { EntityFlags, EntityKind } from '../../shared/layout.ts';

/** Where a player's entity is, in its zone's shared store. */
export interface PlayerWhere {
  readonly store: EntityStore;
  readonly handle: number;
}

/** Slack for the ticks between the client's view and now. */
const SLACK = 1;

/**
 * The template number of NPC entity `npc` when the player may speak with
 * it: both alive, within TALK_RANGE (plus a tile). -1 when the NPC is gone,
 * dead, not an NPC or too far; -2 when the player itself is dead or gone.
 * Reads the zone's shared store from the coordinator: positions are f32s
 * written whole by their owner cells, and a range check a tick stale is
 * what the slack is for.
 */
export function npcInReach(w: PlayerWhere, npc: number): number {
  const s = w.store;
  const f = s.f;
  if (!s.isValid(w.handle)) return -2;
  const me = indexOf(w.handle);
  if ((f.flags[me] & EntityFlags.DEAD) !== 0) return -2;
  if (npc === w.handle || !s.isValid(npc)) return -1;
  const it = indexOf(npc);
  if (f.kind[it] !== EntityKind.NPC || (f.flags[it] & EntityFlags.DEAD) !== 0) return -1;
  const dx = f.x[it] - f.x[me];
  const dy = f.y[it] - f.y[me];
  const r = TALK_RANGE + SLACK;
  return dx * dx + dy * dy <= r * r ? f.template[it] : -1;
}

/** The player's level, from the store (0 when its entity is gone). */
export function levelOf(w: PlayerWhere): number {
  return w.store.isValid(w.handle) ? w.store.f.level[indexOf(w.handle)] : 0;
}
