import { EventType } from '../event-types.ts';
import { Formula } from './formula.ts';
import type { CombatState } from './state.ts';

/** Attackers remembered per player: the NPCs a heal on it angers. */
export const ATTACKERS = 4;

/**
 * Threat from healing: a heal on a player angers the NPCs fighting it. The
 * player's owner remembers who hit it last (up to ATTACKERS, each with the
 * tick of its last blow, in typed arrays by slot); a heal that restores
 * health sends THREAT for `HEAL_THREAT` × what it healed, split evenly
 * among those that hit the player in the last COMBAT_LINGER_S seconds (at
 * least 1 each), to the NPCs' owners through the event channel, with the
 * healer as its source. THREAT to an entity that is not an NPC is ignored
 * there (a player that hit a player in PvP). Allocates nothing.
 */
export class HealThreat {
  private readonly s: CombatState;
  private readonly who: Uint32Array;
  private readonly when: Int32Array;

  constructor(s: CombatState) {
    this.s = s;
    const cap = s.ctx.store.capacity;
    this.who = new Uint32Array(cap * ATTACKERS);
    this.when = new Int32Array(cap * ATTACKERS);
  }

  /** Player `slot` was attacked by `source` now: remembered in its own entry, or in place of the one that hit it longest ago. */
  hitBy(slot: number, source: number): void {
    if (source <= 0) return; // a damage over time whose caster stayed in another zone
    const base = slot * ATTACKERS;
    let at = base;
    for (let i = base; i < base + ATTACKERS; i++) {
      if (this.who[i] === source) {
        at = i;
        break;
      }
      if (this.when[i] < this.when[at]) at = i;
    }
    this.who[at] = source;
    this.when[at] = this.s.ctx.tick;
  }

  /** `healer` healed player `slot` by `healed`: threat to those fighting it, split (none from a heal nobody cast: a heal over time carried through a portal). */
  healed(slot: number, healer: number, healed: number): void {
    if (healed <= 0 || healer <= 0) return;
    const c = this.s.ctx;
    const since = c.tick - this.s.lingerTicks;
    const base = slot * ATTACKERS;
    let n = 0;
    for (let i = base; i < base + ATTACKERS; i++) if (this.who[i] !== 0 && this.when[i] >= since) n++;
    if (n === 0) return;
    const share = Math.max(1, Math.round((healed * Formula.HEAL_THREAT) / n));
    for (let i = base; i < base + ATTACKERS; i++) if (this.who[i] !== 0 && this.when[i] >= since) c.events.send(EventType.THREAT, this.who[i], healer, share, 0);
  }

  /** Forgets a player's attackers (it died or left). */
  clear(slot: number): void {
    this.who.fill(0, slot * ATTACKERS, (slot + 1) * ATTACKERS);
  }
}
