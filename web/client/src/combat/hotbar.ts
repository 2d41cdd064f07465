import type { ClientEntitiesJson, ClientSkillJson } from '../content/types.ts';
import { cooldownAt, type CooldownView } from './cooldowns.ts';

/**
 * The hotbar's state (pure, tested in Node): nine slots holding the skills
 * the player knows (its self record), in the order its class learns them,
 * each with its cooldown and whether it can be used now; which slot is
 * selected (a point skill waits for a click on the ground).
 */
export const HOTBAR_SLOTS = 9;

export interface HotbarSlot {
  /** Skill number (0: empty slot). */
  skill: number;
  info: ClientSkillJson | null;
  readonly cooldown: CooldownView;
  /** Not enough resource for it now. */
  tooCostly: boolean;
}

/** What the hotbar reads of the player's state each refresh. */
export interface HotbarInput {
  /** Skills known (the self record's), and the tick each is ready again. */
  skills: ArrayLike<number>;
  readyTick: ArrayLike<number>;
  skillCount: number;
  resource: number;
  /** The fractional server tick now. */
  tick: number;
  tickHz: number;
}

export class Hotbar {
  readonly slots: HotbarSlot[] = Array.from({ length: HOTBAR_SLOTS }, () => ({ skill: 0, info: null, cooldown: { left: 0, seconds: 0 }, tooCostly: false }));
  /** Slot (0-based) waiting for a point on the ground, or -1. */
  armed = -1;
  private readonly catalogue: ClientEntitiesJson;
  /** The class's skill order (skill numbers by learning level, then file order). */
  private order: number[] = [];
  /** Bumped whenever the set of skills in the slots changes (the HUD rebuilds the buttons). */
  layoutVersion = 0;

  constructor(catalogue: ClientEntitiesJson) {
    this.catalogue = catalogue;
  }

  /** The player's class (a player's `template`: 1-based; 0 the first). */
  setClass(template: number): void {
    const c = this.catalogue.classes[template - 1] ?? this.catalogue.classes[0];
    const order = c ? [...c.skills].sort((a, b) => a.level - b.level).map((s) => s.skill) : [];
    if (order.join() === this.order.join()) return;
    this.order = order;
    this.layoutVersion++;
  }

  skillInfo(skill: number): ClientSkillJson | null {
    return this.catalogue.skills[skill - 1] ?? null;
  }

  /** Brings the slots up to the player's state: the known skills in class order (then any other), cooldowns, costs. */
  update(s: HotbarInput): void {
    let n = 0;
    let changed = false;
    const place = (skill: number, ready: number) => {
      if (n >= HOTBAR_SLOTS) return;
      const slot = this.slots[n++];
      if (slot.skill !== skill) {
        slot.skill = skill;
        slot.info = this.skillInfo(skill);
        changed = true;
      }
      cooldownAt(ready, slot.info?.cooldownMs ?? 0, s.tick, s.tickHz, slot.cooldown);
      slot.tooCostly = (slot.info?.cost ?? 0) > s.resource;
    };
    for (const skill of this.order) {
      for (let i = 0; i < s.skillCount; i++) if (s.skills[i] === skill) place(skill, s.readyTick[i]);
    }
    for (let i = 0; i < s.skillCount; i++) if (!this.order.includes(s.skills[i])) place(s.skills[i], s.readyTick[i]);
    for (; n < HOTBAR_SLOTS; n++) {
      const slot = this.slots[n];
      if (slot.skill !== 0) changed = true;
      slot.skill = 0;
      slot.info = null;
      slot.cooldown.left = slot.cooldown.seconds = 0;
      slot.tooCostly = false;
    }
    if (changed) {
      this.layoutVersion++;
      if (this.armed >= 0 && this.slots[this.armed].skill === 0) this.armed = -1;
    }
  }

  /** The slot of key '1'..'9' (0-based), or -1. */
  static slotOfKey(key: string): number {
    return key.length === 1 && key >= '1' && key <= '9' ? key.charCodeAt(0) - 49 : -1;
  }

  /**
   * What pressing slot `i` does: nothing (empty), 'arm' (a point skill: the
   * next click on the ground casts it; pressing it again disarms), or 'use'.
   */
  press(i: number): 'none' | 'arm' | 'use' {
    const slot = this.slots[i];
    if (!slot || slot.skill === 0) return 'none';
    if (slot.info?.target === 'point') {
      this.armed = this.armed === i ? -1 : i;
      return this.armed === i ? 'arm' : 'none';
    }
    this.armed = -1;
    return 'use';
  }
}

/** A skill's initials, coloured by its school: what the hotbar shows where the page cannot paint its icon (hud/skill-icons.ts). */
export function skillGlyph(name: string): string {
  const words = name.split(/\s+/).filter((w) => w !== '');
  return (words.length > 1 ? words[0][0] + words[1][0] : name.slice(0, 2)).toUpperCase();
}
