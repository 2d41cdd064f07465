import type { ClientQuestJson } from '../content/types.ts';
import { QuestState } from '../../../../src/protocol/quest-codes.ts';
import type { JournalQuest } from '../quests/quest-journal.ts';

/** What the panel asks of the game when the player presses its buttons. */
export interface QuestPanelActions {
  accept(quest: number): void;
  turnIn(quest: number): void;
  abandon(quest: number): void;
}

/**
 * The quest log (in the HUD's right-hand panels, shown and hidden with L)
 * and the dialog of an NPC the player speaks with (E): the quests it
 * offers, with their text and rewards and an Accept button, and those it
 * takes, with Turn in when they are ready. Plain DOM: buttons reachable by
 * keyboard, Escape closes the dialog.
 */
export class QuestPanel {
  private readonly log: HTMLElement;
  private readonly list: HTMLElement;
  private readonly dialog: HTMLElement;
  private readonly actions: QuestPanelActions;
  /** The NPC whose dialog is open (its template), or 0. */
  npc = 0;

  constructor(parent: HTMLElement, actions: QuestPanelActions) {
    this.actions = actions;
    this.log = el('section', 'quest-log');
    this.log.setAttribute('aria-label', 'Quest log');
    this.log.hidden = true;
    const h = el('h2');
    h.textContent = 'Quests (L)';
    this.list = el('ul');
    this.log.append(h, this.list);
    parent.append(this.log);
    this.dialog = el('div', 'quest-dialog');
    this.dialog.setAttribute('role', 'dialog');
    this.dialog.setAttribute('aria-modal', 'false');
    this.dialog.hidden = true;
    this.dialog.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.close();
    });
    document.body.append(this.dialog);
  }

  get dialogOpen(): boolean {
    return !this.dialog.hidden;
  }

  toggleLog(): void {
    this.log.hidden = !this.log.hidden;
  }

  /** Redraws the log. */
  showLog(active: readonly JournalQuest[], npcName: (template: number) => string): void {
    this.list.replaceChildren(
      ...active.map((j) => {
        const li = el('li');
        const title = el('strong');
        title.textContent = j.state === QuestState.READY ? `${j.quest.name} (complete)` : j.quest.name;
        const objectives = el('ul');
        j.quest.objectives.forEach((o, i) => {
          const line = el('li');
          const n = Math.min(j.counts[i] ?? 0, o.count);
          line.textContent = o.count > 1 ? `${o.text}: ${n}/${o.count}` : `${o.text}${n >= o.count ? ' ✓' : ''}`;
          objectives.append(line);
        });
        const hint = el('p', 'hint');
        hint.textContent = j.state === QuestState.READY ? `Return to ${npcName(j.quest.turnIn)}.` : '';
        const drop = button('Abandon', () => this.actions.abandon(j.number));
        li.append(title, objectives, hint, drop);
        return li;
      }),
    );
    if (active.length === 0) {
      const li = el('li', 'hint');
      li.textContent = 'No quests. Look for ! over a townsfolk’s head and press E near them.';
      this.list.append(li);
    }
  }

  /** Opens (or redraws) the dialog of NPC `name` (template `npc`): quests it offers and takes. */
  open(npc: number, name: string, offers: readonly [number, ClientQuestJson][], takes: readonly [number, ClientQuestJson, boolean][]): void {
    this.npc = npc;
    const h = el('h2');
    h.textContent = name;
    const parts: HTMLElement[] = [h];
    for (const [n, q] of offers) {
      const box = el('article');
      const t = el('h3');
      t.textContent = q.name;
      const d = el('p');
      d.textContent = q.description;
      const r = el('p', 'hint');
      r.textContent = rewardsText(q);
      box.append(t, d, r, button('Accept', () => this.actions.accept(n)));
      parts.push(box);
    }
    for (const [n, q, ready] of takes) {
      const box = el('article');
      const t = el('h3');
      t.textContent = q.name;
      const d = el('p');
      d.textContent = ready ? q.completion || 'You have done what was asked.' : 'You have not finished this yet.';
      box.append(t, d);
      if (ready) box.append(button('Turn in', () => this.actions.turnIn(n)));
      parts.push(box);
    }
    if (offers.length === 0 && takes.length === 0) {
      const p = el('p');
      p.textContent = 'They have nothing for you right now.';
      parts.push(p);
    }
    parts.push(button('Close', () => this.close()));
    const wasOpen = this.dialogOpen;
    this.dialog.replaceChildren(...parts);
    this.dialog.hidden = false;
    if (!wasOpen) (this.dialog.querySelector('button') as HTMLButtonElement | null)?.focus();
  }

  close(): void {
    this.dialog.hidden = true;
    this.npc = 0;
  }
}

function rewardsText(q: ClientQuestJson): string {
  const r = [q.rewards.experience > 0 ? `${q.rewards.experience} experience` : '', q.rewards.gold > 0 ? `${q.rewards.gold} gold` : '', ...q.rewards.items].filter((x) => x !== '');
  return r.length > 0 ? `Rewards: ${r.join(', ')}` : '';
}

function el(tag: string, className?: string): HTMLElement {
  const e = document.createElement(tag);
  if (className) e.className = className;
  return e;
}

function button(text: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}
