import { cooldownLabel } from '../combat/cooldowns.ts';
import type { AuraShown } from '../combat/auras.ts';
import { skillGlyph, type Hotbar } from '../combat/hotbar.ts';
import type { ClientSkillJson } from '../content/types.ts';
import { AuraStrip } from './aura-strip.ts';
import { skillIconUrl } from './skill-icons.ts';

/**
 * The combat part of the HTML HUD: the resource and experience bars, the
 * target frame (name, level, health, its cast), the player's cast bar, the
 * hotbar (nine skill buttons with their cooldown sweep and the auto-attack
 * toggle), refusal messages, the level-up flash and the death dialog. Each
 * setter touches the DOM only when what it shows changed.
 */
const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page lacks #${id}`);
  return el as T;
};

export interface TargetShown {
  name: string;
  level: number;
  hp: number;
  maxHp: number;
  hostile: boolean;
  dead: boolean;
  /** Cast progress 0..1 and the skill's name; null when it is not casting. */
  cast: { progress: number; name: string } | null;
}

export const RESOURCE_NAMES = ['mana', 'energy', 'rage'] as const;

function setBar(fill: HTMLElement, meter: HTMLElement, text: HTMLElement, value: number, max: number, words: string): void {
  const f = max > 0 ? Math.max(0, Math.min(1, value / max)) : 0;
  fill.style.width = `${(f * 100).toFixed(1)}%`;
  fill.dataset.level = f > 0.5 ? 'high' : f > 0.25 ? 'mid' : 'low';
  text.textContent = `${value} / ${max}`;
  meter.setAttribute('aria-valuenow', String(value));
  meter.setAttribute('aria-valuemax', String(max));
  meter.setAttribute('aria-valuetext', `${value} of ${max} ${words}`);
}

export interface CombatHudHandlers {
  /** A hotbar button was pressed (slot 0-based). */
  useSlot(slot: number): void;
  toggleAttack(): void;
  respawn(): void;
}

export class CombatHud {
  private readonly res = $('res');
  private readonly xp = $('xp');
  private readonly target = $('target-frame');
  private readonly castBar = $('cast');
  private readonly targetCast = $('target-cast');
  private readonly hotbar = $('hotbar');
  private readonly attack = $<HTMLButtonElement>('auto-attack');
  private readonly messages = $('messages');
  private readonly levelFlash = $('level-flash');
  private readonly death = $('death');
  /** The last messages shown (newest last), for the debug hook: they fade in two seconds. */
  readonly said: string[] = [];
  private readonly playerAuras = new AuraStrip($('player-auras'));
  private readonly targetAuras = new AuraStrip($('target-auras'));
  private slotEls: { button: HTMLButtonElement; sweep: HTMLElement; secs: HTMLElement }[] = [];
  private shown = new Map<string, string>();
  private layoutVersion = -1;
  private flashTimer: ReturnType<typeof setTimeout> | undefined;
  private xpTimer: ReturnType<typeof setTimeout> | undefined;

  private readonly handlers: CombatHudHandlers;

  constructor(handlers: CombatHudHandlers) {
    this.handlers = handlers;
    this.attack.addEventListener('click', () => handlers.toggleAttack());
    $('respawn').addEventListener('click', () => handlers.respawn());
  }

  /** True when `key`'s text differs from what it showed (and remembers it). */
  private changed(key: string, value: string): boolean {
    if (this.shown.get(key) === value) return false;
    this.shown.set(key, value);
    return true;
  }

  setResource(kind: number, value: number, max: number): void {
    if (!this.changed('res', `${kind}/${value}/${max}`)) return;
    const name = RESOURCE_NAMES[kind] ?? 'mana';
    this.res.hidden = max <= 0;
    this.res.dataset.kind = name;
    this.res.setAttribute('aria-label', name[0].toUpperCase() + name.slice(1));
    setBar($('res-fill'), this.res, $('res-text'), value, max, name);
  }

  setExperience(xp: number, xpLevel: number, xpNext: number): void {
    if (!this.changed('xp', `${xp}/${xpLevel}/${xpNext}`)) return;
    const into = xp - xpLevel;
    const span = xpNext > xpLevel ? xpNext - xpLevel : 0;
    if (span === 0) {
      $('xp-fill').style.width = '100%';
      $('xp-text').textContent = 'Highest level';
      this.xp.setAttribute('aria-valuetext', 'highest level');
      return;
    }
    setBar($('xp-fill'), this.xp, $('xp-text'), into, span, 'experience to the next level');
    $('xp-text').textContent = `${into} / ${span} XP`;
  }

  /** Pulses the experience bar (a gain). */
  xpGained(): void {
    this.xp.classList.add('gain');
    clearTimeout(this.xpTimer);
    this.xpTimer = setTimeout(() => this.xp.classList.remove('gain'), 600);
  }

  setTarget(t: TargetShown | null): void {
    if (!t) {
      if (this.changed('target', '')) this.target.hidden = true;
      return;
    }
    if (this.changed('target', `${t.name}/${t.level}/${t.hp}/${t.maxHp}/${t.hostile}/${t.dead}`)) {
      this.target.hidden = false;
      this.target.dataset.hostile = String(t.hostile);
      this.target.dataset.dead = String(t.dead);
      $('target-name').textContent = t.name;
      $('target-level').textContent = t.level > 0 ? `Level ${t.level}` : '';
      setBar($('target-hp-fill'), $('target-hp'), $('target-hp-text'), t.hp, t.maxHp, 'health');
    }
    this.setCastBar(this.targetCast, 'target-cast', t.cast);
  }

  setCast(cast: { progress: number; name: string } | null): void {
    this.setCastBar(this.castBar, 'cast', cast);
  }

  private setCastBar(bar: HTMLElement, id: string, cast: { progress: number; name: string } | null): void {
    if (!cast) {
      if (this.changed(id, '')) bar.hidden = true;
      return;
    }
    const pct = Math.round(cast.progress * 100);
    if (!this.changed(id, `${cast.name}/${pct}`)) return;
    bar.hidden = false;
    $(`${id}-fill`).style.width = `${pct}%`;
    $(`${id}-text`).textContent = cast.name;
    bar.setAttribute('aria-valuenow', String(pct));
  }

  /** Brings the hotbar's buttons up to `bar` (rebuilt only when its skills change). */
  setHotbar(bar: Hotbar): void {
    if (bar.layoutVersion !== this.layoutVersion) {
      this.layoutVersion = bar.layoutVersion;
      for (const s of this.slotEls) s.button.remove();
      this.slotEls = bar.slots.map((slot, i) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'slot';
        b.id = `slot-${i + 1}`;
        const info = slot.info;
        b.dataset.empty = String(slot.skill === 0);
        b.dataset.school = info?.school ?? '';
        b.title = info ? `${info.name} (${i + 1})${info.description ? `: ${info.description}` : ''}` : `Empty slot ${i + 1}`;
        b.setAttribute('aria-label', info ? `${info.name}, key ${i + 1}` : `Empty slot ${i + 1}`);
        b.disabled = slot.skill === 0;
        const key = document.createElement('span');
        key.className = 'key';
        key.textContent = String(i + 1);
        const icon = document.createElement('span');
        icon.className = 'icon';
        icon.setAttribute('aria-hidden', 'true');
        const url = info ? skillIconUrl(info) : '';
        if (url) icon.style.backgroundImage = `url("${url}")`;
        else icon.textContent = info ? skillGlyph(info.name) : '';
        icon.dataset.drawn = String(url !== '');
        const name = document.createElement('span');
        name.className = 'name';
        name.textContent = info?.name ?? '';
        const sweep = document.createElement('span');
        sweep.className = 'sweep';
        const secs = document.createElement('span');
        secs.className = 'secs';
        b.append(key, icon, name, sweep, secs);
        b.addEventListener('click', () => this.handlers.useSlot(i));
        this.hotbar.insertBefore(b, this.attack);
        return { button: b, sweep, secs };
      });
      this.shown.forEach((_v, k) => k.startsWith('slot') && this.shown.delete(k));
    }
    bar.slots.forEach((slot, i) => {
      const el = this.slotEls[i];
      const label = cooldownLabel(slot.cooldown.seconds);
      const left = slot.cooldown.left.toFixed(3);
      if (this.changed(`slot${i}`, `${left}/${label}/${slot.tooCostly}/${bar.armed === i}`)) {
        el.sweep.style.setProperty('--left', left);
        el.secs.textContent = label;
        el.button.dataset.costly = String(slot.tooCostly);
        el.button.dataset.armed = String(bar.armed === i);
      }
    });
  }

  /** A hotbar button's press, shown (a key press looks like a click). */
  flashSlot(i: number): void {
    const b = this.slotEls[i]?.button;
    if (!b) return;
    b.classList.remove('flash');
    void b.offsetWidth;
    b.classList.add('flash');
  }

  focusHotbar(): void {
    (this.slotEls.find((s) => !s.button.disabled)?.button ?? this.attack).focus();
  }

  setAutoAttack(on: boolean): void {
    if (this.changed('attack', String(on))) this.attack.setAttribute('aria-pressed', String(on));
  }

  /** The player's auras and the target's. */
  setAuras(mine: readonly AuraShown[], target: readonly AuraShown[], tick: number, tickHz: number, skill: (n: number) => ClientSkillJson | null): void {
    this.playerAuras.show(mine, tick, tickHz, skill);
    this.targetAuras.show(target, tick, tickHz, skill);
  }

  /** A short message over the hotbar ("Out of range"; `info` in plain colour), gone after two seconds; the same one twice in a row is not stacked. */
  message(text: string, info = false): void {
    this.said.push(text);
    if (this.said.length > 8) this.said.shift();
    const last = this.messages.lastElementChild as HTMLElement | null;
    if (last && last.textContent === text && !last.classList.contains('fade')) last.remove();
    const el = document.createElement('div');
    el.className = info ? 'msg info' : 'msg';
    el.textContent = text;
    this.messages.append(el);
    while (this.messages.childElementCount > 3) this.messages.firstElementChild!.remove();
    setTimeout(() => el.classList.add('fade'), 1600);
    setTimeout(() => el.remove(), 2100);
  }

  levelUp(level: number): void {
    this.levelFlash.textContent = `Level ${level}!`;
    this.levelFlash.classList.remove('show');
    void this.levelFlash.offsetWidth;
    this.levelFlash.classList.add('show');
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => this.levelFlash.classList.remove('show'), 2500);
  }

  setDead(dead: boolean): void {
    if (!this.changed('dead', String(dead))) return;
    this.death.hidden = !dead;
    if (dead) $('respawn').focus();
  }

  get deathShown(): boolean {
    return !this.death.hidden;
  }
}
