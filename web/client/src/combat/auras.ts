import { AuraKind, CombatEvent } from '../../../../src/protocol/combat-codes.ts';
import type { SelfState } from '../../../../src/protocol/self-state.ts';

/**
 * Auras (buffs, debuffs, damage and healing over time) as the frames show
 * them (pure, tested in Node). The player's own come in full with its self
 * record; another entity's are known only from the AURA events of the
 * snapshots the client got (source, skill, kind and length in ticks), so
 * they are kept here by entity until they run out, the entity dies or
 * comes back, or leaves the view. An aura ended early by the server (a
 * dispel) stays until its time is up: the wire says nothing of it.
 */
export interface AuraShown {
  skill: number;
  /** AuraKind. */
  kind: number;
  /** Zone tick it ends at. */
  endTick: number;
  stacks: number;
}

/** The most auras kept per entity (the self record carries at most Limits.maxSelfAuras). */
const MAX_PER_ENTITY = 16;

export class AuraBook {
  private readonly byEntity = new Map<number, AuraShown[]>();

  /** One event of a snapshot of zone tick `tick`. */
  onEvent(type: number, detail: number, target: number, skill: number, amount: number, tick: number): void {
    if (type === CombatEvent.AURA) {
      let list = this.byEntity.get(target);
      if (!list) this.byEntity.set(target, (list = []));
      // The same skill again refreshes it (the server refreshes, or stacks, by skill).
      const old = list.find((a) => a.skill === skill);
      if (old) {
        old.kind = detail;
        old.endTick = tick + amount;
        old.stacks++;
      } else if (list.length < MAX_PER_ENTITY) list.push({ skill, kind: detail, endTick: tick + amount, stacks: 1 });
    } else if (type === CombatEvent.DEATH || type === CombatEvent.RESPAWN) this.byEntity.delete(target);
  }

  /** The auras on `entity` still running at `tick`, buffs first, then the soonest to end. */
  of(entity: number, tick: number): AuraShown[] {
    const list = this.byEntity.get(entity);
    if (!list) return [];
    for (let i = list.length - 1; i >= 0; i--) if (list[i].endTick <= tick) list.splice(i, 1);
    if (list.length === 0) this.byEntity.delete(entity);
    return sorted(list);
  }

  /** Forgets entities no longer in view (`inView` says which are). */
  prune(inView: (entity: number) => boolean): void {
    for (const id of this.byEntity.keys()) if (!inView(id)) this.byEntity.delete(id);
  }

  clear(): void {
    this.byEntity.clear();
  }
}

/** The player's own auras at `tick`, from its self record. */
export function selfAuras(s: SelfState, tick: number): AuraShown[] {
  const out: AuraShown[] = [];
  for (let i = 0; i < s.auraCount; i++) {
    if (s.auraEnd[i] !== 0 && s.auraEnd[i] <= tick) continue;
    out.push({ skill: s.auraSkill[i], kind: s.auraKind[i], endTick: s.auraEnd[i], stacks: s.auraStacks[i] });
  }
  return sorted(out);
}

const helpful = (kind: number) => kind === AuraKind.BUFF || kind === AuraKind.HEAL_OVER_TIME;

function sorted(list: AuraShown[]): AuraShown[] {
  return [...list].sort((a, b) => Number(helpful(b.kind)) - Number(helpful(a.kind)) || a.endTick - b.endTick);
}

/** Words for each AuraKind (tooltips, screen readers). */
export const AURA_KIND_WORDS: Record<number, string> = {
  [AuraKind.BUFF]: 'buff',
  [AuraKind.DEBUFF]: 'debuff',
  [AuraKind.DAMAGE_OVER_TIME]: 'damage over time',
  [AuraKind.HEAL_OVER_TIME]: 'healing over time',
};

/** True for the kinds drawn green (helpful), false for red. */
export function auraHelpful(kind: number): boolean {
  return helpful(kind);
}

/** Time left as an aura icon shows it: "45s", "3m", "" for none or a lasting one (endTick 0). */
export function auraTimeLabel(endTick: number, tick: number, tickHz: number): string {
  if (endTick === 0) return '';
  const s = Math.max(0, (endTick - tick) / tickHz);
  if (s >= 60) return `${Math.ceil(s / 60)}m`;
  return `${Math.ceil(s)}s`;
}
