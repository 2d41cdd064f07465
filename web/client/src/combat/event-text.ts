import { CombatEvent, HitFlags } from '../../../../src/protocol/combat-codes.ts';
import { GOLD_TEMPLATE } from '../../../../src/protocol/item-codes.ts';
import { EntityKindValues } from '../content/kinds.ts';

/**
 * What the screen shows for one event of a snapshot's events section (pure,
 * tested in Node): floating numbers over the entity hit or healed, "Miss"
 * and "Dodge", crits bigger, experience and level-up flashes, refusal
 * messages. Events that show nothing by themselves (cast start, aura,
 * death, respawn: the entity's own state shows those) map to null. Loot
 * rolled for the viewer is a line: what dropped and how many.
 */
export type FloatKind = 'damage' | 'damageTaken' | 'heal' | 'miss' | 'dodge' | 'xp' | 'level';

export interface FloatText {
  kind: FloatKind;
  text: string;
  /** The entity it floats over. */
  entity: number;
  crit: boolean;
}

export type EventShown =
  | { show: 'float'; float: FloatText }
  | { show: 'refused'; reason: number; skill: number }
  | { show: 'interrupted'; reason: number }
  | { show: 'levelUp'; level: number }
  | { show: 'loot'; template: number; count: number }
  | null;

/**
 * What event (type, detail, source, target, skill, amount) shows to a
 * viewer whose entity is `you`. Only what concerns the viewer is shown as
 * numbers (its hits, hits on it, its heals): a crowd of others' fights
 * would cover the screen.
 */
export function eventShown(type: number, detail: number, source: number, target: number, amount: number, skill: number, you: number): EventShown {
  const mine = source === you || target === you;
  const crit = (detail & HitFlags.CRIT) !== 0;
  switch (type) {
    case CombatEvent.DAMAGE:
      if (!mine) return null;
      return { show: 'float', float: { kind: target === you ? 'damageTaken' : 'damage', text: crit ? `${amount}!` : String(amount), entity: target, crit } };
    case CombatEvent.HEAL:
      if (!mine || amount === 0) return null;
      return { show: 'float', float: { kind: 'heal', text: `+${amount}`, entity: target, crit } };
    case CombatEvent.MISS:
      return mine ? { show: 'float', float: { kind: 'miss', text: 'Miss', entity: target, crit: false } } : null;
    case CombatEvent.DODGE:
      return mine ? { show: 'float', float: { kind: 'dodge', text: 'Dodge', entity: target, crit: false } } : null;
    case CombatEvent.EXPERIENCE:
      return { show: 'float', float: { kind: 'xp', text: `+${amount} XP`, entity: you, crit: false } };
    case CombatEvent.LEVEL_UP:
      if (target === you) return { show: 'levelUp', level: amount };
      return { show: 'float', float: { kind: 'level', text: `Level ${amount}!`, entity: target, crit: false } };
    case CombatEvent.REFUSED:
      return { show: 'refused', reason: detail, skill };
    case CombatEvent.CAST_INTERRUPTED:
      return source === you ? { show: 'interrupted', reason: detail } : null;
    case CombatEvent.LOOT:
      // What a kill of the viewer's dropped for it; others' loot lies on the ground for all to see.
      return target === you ? { show: 'loot', template: skill, count: amount } : null;
    default:
      return null;
  }
}

/** The line for loot rolled for the viewer: "Loot: Wolf Pelt ×2", or its gold. */
export function lootText(template: number, count: number, catalogue: { nameOf(kind: number, template: number): string }): string {
  if (template === GOLD_TEMPLATE) return `Loot: ${count} gold`;
  const name = catalogue.nameOf(EntityKindValues.ITEM, template) || 'an item';
  return count > 1 ? `Loot: ${name} ×${count}` : `Loot: ${name}`;
}
