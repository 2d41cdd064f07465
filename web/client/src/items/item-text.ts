import { ItemOp, ItemReason, type ItemReasonValue } from '../../../../src/protocol/item-codes.ts';
import { GOLD_TEMPLATE } from '../../../../src/protocol/item-codes.ts';
import type { ClientEntitiesJson, ClientItemJson } from '../content/types.ts';
import { EQUIPMENT_SLOTS, SLOT_LABELS, type EquipmentSlotName } from './inventory.ts';

/**
 * Words of the inventory (pure, tested in Node): a refusal for every
 * ItemReason (a test checks each code of src/protocol has its words), what
 * a done request says, and an item's tooltip lines from the content.
 */
export const ITEM_REFUSAL_WORDS: Record<ItemReasonValue, string> = {
  [ItemReason.BAG_FULL]: 'Your bags are full',
  [ItemReason.WRONG_SLOT]: 'That does not go there',
  [ItemReason.VERSION_CONFLICT]: 'That item changed; try again',
  [ItemReason.NOT_YOURS]: 'That is not yours',
  [ItemReason.NO_SUCH_ITEM]: 'That item is gone',
  [ItemReason.BAD_COUNT]: 'Not that many',
  [ItemReason.NOT_STACKABLE]: 'Those do not stack',
  [ItemReason.NOT_USABLE]: 'You cannot use that',
  [ItemReason.LEVEL_TOO_LOW]: 'Your level is too low',
  [ItemReason.WRONG_CLASS]: 'Your class cannot use that',
  [ItemReason.NOT_ENOUGH_GOLD]: 'Not enough gold',
  [ItemReason.SLOT_BLOCKED]: 'A two-handed weapon leaves no hand free',
  [ItemReason.OUT_OF_RANGE]: 'Too far away to pick up',
  [ItemReason.NOT_YET_YOURS]: 'That loot is still someone else’s',
  [ItemReason.ALREADY_TAKEN]: 'Someone took it first',
  [ItemReason.UNAVAILABLE]: 'Could not be saved; try again',
  [ItemReason.NO_CHARACTER]: 'Guests keep no items: log in to loot',
  [ItemReason.DEAD]: 'You are dead',
  [ItemReason.ON_COOLDOWN]: 'Not ready yet',
};

/** The words for refusal `reason`; a code this client does not know still says something. */
export function itemRefusalText(reason: number): string {
  return (ITEM_REFUSAL_WORDS as Record<number, string | undefined>)[reason] ?? `Refused (${reason})`;
}

/** What a done request says ('' for nothing worth a line). */
export function itemDoneText(op: number, name: string): string {
  switch (op) {
    case ItemOp.PICKUP:
      return name ? `Picked up ${name}` : 'Picked up';
    case ItemOp.EQUIP:
      return name ? `Equipped ${name}` : '';
    case ItemOp.DROP:
      return name ? `Dropped ${name}` : '';
    case ItemOp.DESTROY:
      return name ? `Destroyed ${name}` : '';
    default:
      return '';
  }
}

/** Stat words, in the order tooltips list them (armor first, as on the item's face). */
export const STAT_WORDS: Record<string, string> = {
  armor: 'Armor',
  health: 'Health',
  mana: 'Mana',
  strength: 'Strength',
  agility: 'Agility',
  intellect: 'Intellect',
  stamina: 'Stamina',
  attackPower: 'Attack power',
  spellPower: 'Spell power',
  resistance: 'Resistance',
  critChance: 'Critical chance',
  dodgeChance: 'Dodge chance',
  healthRegen: 'Health per second',
  manaRegen: 'Mana per second',
};

/** Chances are in parts per 10,000: shown as percent. */
export function statValue(stat: string, v: number): string {
  if (stat === 'critChance' || stat === 'dodgeChance') return `${(v / 100).toFixed(v % 100 === 0 ? 0 : 1)}%`;
  return String(v);
}

/** One tooltip line: its text and a class for its colour. */
export interface TooltipLine {
  text: string;
  style: 'name' | 'plain' | 'stat' | 'use' | 'flavour' | 'muted' | 'warn';
}

/** The tooltip of item template `template` (a stack of `count`), for a player of class `cls` and level `level`. */
export function tooltipLines(cat: ClientEntitiesJson, template: number, count: number, level: number, cls: number): TooltipLine[] {
  const it: ClientItemJson | undefined = cat.items[template - 1];
  if (template === GOLD_TEMPLATE) return [{ text: `${count} gold`, style: 'name' }];
  if (!it) return [{ text: `Unknown item ${template}`, style: 'name' }];
  const out: TooltipLine[] = [{ text: it.name, style: 'name' }];
  const slot = it.slot && (EQUIPMENT_SLOTS as readonly string[]).includes(it.slot) ? SLOT_LABELS[it.slot as EquipmentSlotName] : '';
  const kind = it.kind ? it.kind[0].toUpperCase() + it.kind.slice(1) : '';
  const head = [slot, kind].filter((x) => x !== '').join(' · ');
  if (head) out.push({ text: head, style: 'muted' });
  if (it.weapon) out.push({ text: `${it.weapon.min}–${it.weapon.max} damage, every ${(it.weapon.intervalMs / 1000).toFixed(1)} s`, style: 'plain' });
  const stats = it.stats ?? {};
  const order = [...Object.keys(STAT_WORDS).filter((k) => k in stats), ...Object.keys(stats).filter((k) => !(k in STAT_WORDS))];
  for (const k of order) out.push({ text: `+${statValue(k, stats[k])} ${STAT_WORDS[k] ?? k}`, style: 'stat' });
  if (it.use && it.use.skill > 0) {
    const sk = cat.skills[it.use.skill - 1];
    const cd = it.use.cooldownMs > 0 ? ` (${Math.round(it.use.cooldownMs / 1000)} s cooldown)` : '';
    out.push({ text: `Use: ${sk?.description || sk?.name || 'an effect'}${cd}`, style: 'use' });
  }
  if ((it.stackSize ?? 1) > 1) out.push({ text: `Stack: ${count} / ${it.stackSize}`, style: 'muted' });
  if ((it.levelRequired ?? 0) > 0) out.push({ text: `Requires level ${it.levelRequired}`, style: level >= (it.levelRequired ?? 0) ? 'muted' : 'warn' });
  if (it.classes && it.classes.length > 0) {
    const names = it.classes.map((c) => cat.classes[c - 1]?.name ?? `class ${c}`).join(', ');
    out.push({ text: `Classes: ${names}`, style: cls === 0 || it.classes.includes(cls) ? 'muted' : 'warn' });
  }
  if (it.description) out.push({ text: `“${it.description}”`, style: 'flavour' });
  if ((it.value ?? 0) > 0) out.push({ text: `Sells for ${it.value} gold`, style: 'muted' });
  return out;
}

/** An item's short name with its count ("Wolf Pelt ×3"), for labels and messages. */
export function itemLabel(cat: ClientEntitiesJson, template: number, count: number): string {
  if (template === GOLD_TEMPLATE) return `${count} gold`;
  const name = cat.items[template - 1]?.name ?? `item ${template}`;
  return count > 1 ? `${name} ×${count}` : name;
}
