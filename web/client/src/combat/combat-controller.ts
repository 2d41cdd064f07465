import { ActionKind, CombatEvent } from '../../../../src/protocol/combat-codes.ts';
import type { SelfState } from '../../../../src/protocol/self-state.ts';
import type { EventList } from '../../../../src/protocol/snapshot-events.ts';
import type { Catalogue } from '../content/catalogue.ts';
import { EntityFlagValues, EntityKindValues } from '../content/kinds.ts';
import { CombatHud, RESOURCE_NAMES, type TargetShown } from '../hud/combat-hud.ts';
import type { Session } from '../net/session.ts';
import type { TickClock } from '../net/tick-clock.ts';
import type { EntityState } from '../render/entity-view.ts';
import { Floaters, TargetRing } from '../render/floaters.ts';
import { castProgress } from './cooldowns.ts';
import { eventShown, lootText } from './event-text.ts';
import { Hotbar } from './hotbar.ts';
import { refusalText } from './refusals.ts';
import { nextTarget, pickAt, type Candidate } from './targeting.ts';

/**
 * The player's side of a fight: targeting (click, Tab, Escape), the hotbar
 * and auto-attack sent as ACTIONs, and what each snapshot's events and self
 * record show (floating numbers, refusals, level-ups, bars, cooldowns, cast
 * bars, the death dialog). The game hands it the entities as drawn; it owns
 * the target ring and the floating texts' layer.
 */
export interface Shown {
  state: EntityState;
  /** Drawn position, world units. */
  drawn: { x: number; y: number };
}

/** What the controller reads of the game. */
export interface CombatWorld {
  readonly session: Session;
  readonly clock: TickClock | null;
  readonly catalogue: Catalogue;
  readonly tile: number;
  /** The world's scale on screen. */
  readonly scale: number;
  readonly meId: number;
  readonly meShown: Shown | null;
  readonly others: ReadonlyMap<number, Shown>;
  /** A player's name (NAMES), or undefined. */
  playerName(id: number): string | undefined;
  /** The own player's name. */
  readonly myName: string;
}

const RING = { hostile: 0xff4a3a, npc: 0xffd84a, player: 0x5cff7a } as const;

export class CombatController {
  readonly hotbar: Hotbar;
  readonly hud: CombatHud;
  readonly floaters = new Floaters();
  readonly ring = new TargetRing();
  /** The player's hits (DAMAGE events it dealt) by skill, 0 the auto-attack. */
  readonly hits = new Map<number, number>();
  /** The selected target (0: none), as the client asked; the own entity's `target` field is the server's word. */
  target = 0;
  private readonly w: CombatWorld;
  private self: SelfState | null = null;
  private tickHz = 20;
  private readonly candidates: Candidate[] = [];

  constructor(w: CombatWorld) {
    this.w = w;
    this.hotbar = new Hotbar(w.catalogue.json);
    this.hud = new CombatHud({ useSlot: (i) => this.useSlot(i), toggleAttack: () => this.toggleAttack(), respawn: () => this.respawn() });
  }

  /** A new zone (a new entity): nothing of the old one is targeted. */
  reset(tickHz: number): void {
    this.tickHz = tickHz;
    this.target = 0;
    this.self = null;
    this.hotbar.armed = -1;
    this.floaters.clear();
    this.ring.hide();
  }

  private hostile(s: EntityState): boolean {
    if (s.kind !== EntityKindValues.NPC || (s.flags & (EntityFlagValues.DEAD | EntityFlagValues.EVADING)) !== 0) return false;
    return this.w.catalogue.json.npcs[s.template - 1]?.hostility !== 'friendly';
  }

  private listCandidates(): Candidate[] {
    const out = this.candidates;
    out.length = 0;
    for (const [id, o] of this.w.others) {
      if (o.state.kind !== EntityKindValues.NPC && o.state.kind !== EntityKindValues.PLAYER) continue;
      out.push({ id, x: o.drawn.x, y: o.drawn.y, hostile: this.hostile(o.state), dead: (o.state.flags & EntityFlagValues.DEAD) !== 0 });
    }
    return out;
  }

  /** Selects `id` (0 clears) and tells the server. */
  select(id: number): void {
    if (id === this.target) return;
    this.target = id;
    this.w.session.action(ActionKind.TARGET, id, 0, 0, 0);
  }

  /** Tab: the next hostile entity, nearest first. */
  cycleTarget(back: boolean): void {
    const me = this.w.meShown;
    if (!me) return;
    const id = nextTarget(this.listCandidates(), me.drawn.x, me.drawn.y, this.target, back);
    if (id === 0) this.hud.message('No enemies near');
    else this.select(id);
  }

  /**
   * A click on the world at (x, y), world units: casts an armed point skill
   * there, or targets the entity under it; false when it is neither (the
   * player walks there).
   */
  click(x: number, y: number): boolean {
    if (this.hotbar.armed >= 0) {
      const slot = this.hotbar.slots[this.hotbar.armed];
      this.hotbar.armed = -1;
      this.w.session.action(ActionKind.SKILL, 0, slot.skill, x, y);
      return true;
    }
    const id = pickAt(this.listCandidates(), x, y);
    if (id === 0) return false;
    this.select(id);
    return true;
  }

  useSlot(i: number): void {
    const what = this.hotbar.press(i);
    if (what === 'none') return;
    this.hud.flashSlot(i);
    if (what === 'arm') return this.hud.message(`${this.hotbar.slots[i].info?.name ?? 'Skill'}: click the ground`);
    const slot = this.hotbar.slots[i];
    const info = slot.info;
    // Not ready for a while yet (the clock reads a little behind the server's: a press just before the end goes out).
    if (slot.cooldown.seconds > 0.25) return this.hud.message(refusalText(2));
    // A self skill targets oneself; an ally skill the selected player, else oneself; an enemy skill the target.
    const target = info?.target === 'self' ? 0 : info?.target === 'ally' ? (this.w.others.get(this.target)?.state.kind === EntityKindValues.PLAYER ? this.target : 0) : this.target;
    this.w.session.action(ActionKind.SKILL, target, slot.skill, 0, 0);
  }

  toggleAttack(): void {
    const on = this.self?.autoAttack ?? false;
    this.w.session.action(ActionKind.ATTACK, on ? 0 : this.target, on ? 0 : 1, 0, 0);
  }

  respawn(): void {
    this.w.session.action(ActionKind.RESPAWN, 0, 0, 0, 0);
  }

  /** Escape: disarm a point skill, else clear the target. */
  escape(): void {
    if (this.hotbar.armed >= 0) this.hotbar.armed = -1;
    else this.select(0);
  }

  /** A snapshot was applied: its events shown, the self record read. */
  onSnapshot(events: EventList, self: SelfState | null, tick: number, now: number): void {
    const you = this.w.meId;
    if (self) {
      this.self = self;
      const me = this.w.meShown;
      if (me) this.hotbar.setClass(me.state.template);
    }
    for (let i = 0; i < events.count; i++) {
      if (events.type[i] === CombatEvent.DAMAGE && events.source[i] === you) this.hits.set(events.skill[i], (this.hits.get(events.skill[i]) ?? 0) + 1);
      const shown = eventShown(events.type[i], events.detail[i], events.source[i], events.target[i], events.amount[i], events.skill[i], you);
      if (!shown) continue;
      switch (shown.show) {
        case 'float': {
          const at = shown.float.entity === you ? this.w.meShown : this.w.others.get(shown.float.entity);
          if (at) this.floaters.spawn(shown.float.kind, shown.float.text, at.drawn.x * this.w.tile, (at.drawn.y - 0.55) * this.w.tile, shown.float.crit, now);
          if (shown.float.kind === 'xp') this.hud.xpGained();
          break;
        }
        case 'refused':
        case 'interrupted':
          this.hud.message(refusalText(shown.reason, RESOURCE_NAMES[self?.resource ?? 0]));
          break;
        case 'levelUp':
          this.hud.levelUp(shown.level);
          break;
        case 'loot':
          this.hud.message(lootText(shown.template, shown.count, this.w.catalogue));
          break;
      }
      // The target died: keep it selected (its frame says so) until the player chooses another.
      if (events.type[i] === CombatEvent.RESPAWN && events.target[i] === you) this.hud.setDead(false);
    }
    void tick;
  }

  /** Per frame: the ring under the target, the floating texts. */
  frame(now: number): void {
    const t = this.target !== 0 ? this.w.others.get(this.target) : undefined;
    if (this.target !== 0 && !t) this.target = 0; // left the view
    if (t) this.ring.show(t.drawn.x * this.w.tile, t.drawn.y * this.w.tile, this.w.tile, this.hostile(t.state) ? RING.hostile : t.state.kind === EntityKindValues.PLAYER ? RING.player : RING.npc, now);
    else this.ring.hide();
    this.floaters.update(now, this.w.scale);
  }

  /** The HUD refresh (about ten times a second): bars, hotbar cooldowns, cast bars, target frame, death. */
  refreshHud(now: number): void {
    const me = this.w.meShown;
    const clock = this.w.clock;
    const tick = clock && clock.samples > 0 ? clock.tickAt(now) : 0;
    const snapTick = this.w.session.view.lastTick;
    const s = this.self;
    if (me && s) {
      this.hud.setResource(s.resource, me.state.mana, me.state.maxMana);
      this.hud.setExperience(s.xp, s.xpLevel, s.xpNext);
      this.hud.setAutoAttack(s.autoAttack);
      this.hotbar.update({ skills: s.skills, readyTick: s.readyTick, skillCount: s.skillCount, resource: me.state.mana, tick, tickHz: this.tickHz });
    }
    this.hud.setHotbar(this.hotbar);
    if (me) {
      const st = me.state;
      const p = castProgress(st.castSkill, st.castEnd, st.castTicks, snapTick, tick);
      this.hud.setCast(st.castSkill !== 0 ? { progress: p, name: this.hotbar.skillInfo(st.castSkill)?.name ?? 'Casting' } : null);
      this.hud.setDead((st.flags & EntityFlagValues.DEAD) !== 0);
    }
    const t = this.target !== 0 ? this.w.others.get(this.target) : undefined;
    this.hud.setTarget(t ? this.targetShown(this.target, t, snapTick, tick) : null);
  }

  private targetShown(id: number, t: Shown, snapTick: number, tick: number): TargetShown {
    const s = t.state;
    const cat = this.w.catalogue;
    const cls = cat.nameOf(s.kind, s.template);
    const name = s.kind === EntityKindValues.PLAYER ? `${this.w.playerName(id) ?? 'Adventurer'} · ${cls}` : cls;
    const cast = s.castSkill !== 0 ? { progress: castProgress(s.castSkill, s.castEnd, s.castTicks, snapTick, tick), name: this.hotbar.skillInfo(s.castSkill)?.name ?? 'Casting' } : null;
    return { name, level: s.level, hp: s.hp, maxHp: s.maxHp, hostile: this.hostile(s), dead: (s.flags & EntityFlagValues.DEAD) !== 0, cast };
  }
}
