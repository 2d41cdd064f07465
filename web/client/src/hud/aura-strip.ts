import { AURA_KIND_WORDS, auraHelpful, auraTimeLabel, type AuraShown } from '../combat/auras.ts';
import type { ClientSkillJson } from '../content/types.ts';
import { skillIconUrl } from './skill-icons.ts';

/**
 * A row of aura icons under a frame (the player's, the target's): each the
 * icon of the skill that put it there, bordered green when it helps and
 * red when it harms, its stacks and the time left over it; a list whose
 * items say the same in words for screen readers. The icons are rebuilt
 * only when the set of auras changes; the times are rewritten each refresh.
 */
export class AuraStrip {
  private readonly el: HTMLElement;
  private items: { li: HTMLElement; time: HTMLElement; name: string; kind: string }[] = [];
  private shownKey = '';

  constructor(el: HTMLElement) {
    this.el = el;
  }

  /** Shows `auras` at fractional tick `tick`. */
  show(auras: readonly AuraShown[], tick: number, tickHz: number, skill: (n: number) => ClientSkillJson | null): void {
    const key = auras.map((a) => `${a.skill}/${a.kind}/${a.stacks}`).join(',');
    if (key !== this.shownKey) {
      this.shownKey = key;
      this.items = auras.map((a) => {
        const info = skill(a.skill);
        const li = document.createElement('li');
        li.className = 'aura';
        li.dataset.helpful = String(auraHelpful(a.kind));
        li.dataset.skill = String(a.skill);
        const icon = document.createElement('span');
        icon.className = 'aura-icon';
        icon.setAttribute('aria-hidden', 'true');
        const url = info ? skillIconUrl(info) : '';
        if (url) icon.style.backgroundImage = `url("${url}")`;
        else icon.textContent = (info?.name ?? '?').slice(0, 1);
        const stacks = document.createElement('span');
        stacks.className = 'aura-stacks';
        stacks.setAttribute('aria-hidden', 'true');
        stacks.textContent = a.stacks > 1 ? String(a.stacks) : '';
        const time = document.createElement('span');
        time.className = 'aura-time';
        li.append(icon, stacks, time);
        const name = info?.name ?? `Skill ${a.skill}`;
        li.title = `${name} (${AURA_KIND_WORDS[a.kind] ?? 'aura'})`;
        return { li, time, name, kind: AURA_KIND_WORDS[a.kind] ?? 'aura' };
      });
      this.el.replaceChildren(...this.items.map((x) => x.li));
      this.el.hidden = this.items.length === 0;
    }
    auras.forEach((a, i) => {
      const it = this.items[i];
      if (!it) return;
      const label = auraTimeLabel(a.endTick, tick, tickHz);
      if (it.time.textContent === label) return;
      it.time.textContent = label;
      it.li.setAttribute('aria-label', `${it.name}, ${it.kind}${label ? `, ${label} left` : ''}`);
    });
  }
}
