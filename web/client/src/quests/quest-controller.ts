import { ANY_QUEST, QuestAction, QuestState, TALK_RANGE } from '../../../../src/protocol/quest-codes.ts';
import type { QuestLogMessage, QuestResultMessage } from '../../../../src/protocol/quest-messages.ts';
import type { Catalogue } from '../content/catalogue.ts';
import { EntityFlagValues, EntityKindValues } from '../content/kinds.ts';
import type { Told } from '../net/messages.ts';
import type { Session } from '../net/session.ts';
import { QuestPanel } from '../hud/quest-panel.ts';
import type { EntityView } from '../render/entity-view.ts';
import { QuestJournal, questRefusalText } from './quest-journal.ts';
import type { DebugQuests } from '../debug-types.ts';

/** An entity in view as the quest controller reads it. */
export interface QuestEntity {
  readonly state: { kind: number; template: number; flags: number };
  readonly drawn: { x: number; y: number };
  readonly view: EntityView;
}

/** What the controller needs of the game. */
export interface QuestWorld {
  readonly session: Session;
  readonly catalogue: Catalogue;
  readonly others: ReadonlyMap<number, QuestEntity>;
  readonly tile: number;
  /** The own player's level and drawn position (undefined before the first snapshot). */
  myLevel(): number;
  myPosition(): { x: number; y: number } | undefined;
  /** The selected target (0: none). */
  targetId(): number;
  toast(t: Told, kind?: 'info' | 'warn'): void;
}

/**
 * Quests in the client: keeps the journal from QUEST_LOG, answers QUEST_RESULT
 * with a line, draws the markers over quest givers, and opens an NPC's
 * dialog on E (the selected NPC if it is near, else the nearest NPC in
 * talking range), telling the server the player spoke with it (TALK).
 */
export class QuestController {
  readonly journal: QuestJournal;
  private readonly w: QuestWorld;
  private readonly panel: QuestPanel;
  /** The NPC entity whose dialog is open. */
  private talking = 0;
  private markedVersion = -1;
  private markedLevel = -1;

  /** A controller with its panel (log and dialog) in `parent`, the panel's buttons bound to it. */
  static inPanels(w: QuestWorld, parent: HTMLElement): QuestController {
    const c: QuestController = new QuestController(w, new QuestPanel(parent, { accept: (n) => c.accept(n), turnIn: (n) => c.turnIn(n), abandon: (n) => c.abandon(n) }));
    return c;
  }

  constructor(w: QuestWorld, panel: QuestPanel) {
    this.w = w;
    this.panel = panel;
    this.journal = new QuestJournal(w.catalogue.json.quests);
  }

  private get quests() {
    return this.w.catalogue.json.quests;
  }

  onMessage(m: QuestLogMessage | QuestResultMessage): void {
    if (m.op === 'questLog') {
      this.journal.apply(m);
      this.panel.showLog(this.journal.active(), (t) => this.w.catalogue.json.npcs[t - 1]?.name ?? 'someone');
      this.redrawDialog();
      for (const e of m.entries) {
        const q = this.quests[e.quest];
        if (q && !m.full && e.state === QuestState.READY) this.w.toast({ title: q.name, detail: 'Complete. Return to hand it in.', retry: false }, 'info');
      }
      return;
    }
    const q = this.quests[m.quest];
    const why = questRefusalText(m.reason);
    if (why) return this.w.toast({ title: q?.name ?? 'Quest', detail: why, retry: false }, 'warn');
    if (!q) return;
    if (m.action === QuestAction.ACCEPT) this.w.toast({ title: 'Quest accepted', detail: q.name, retry: false }, 'info');
    else if (m.action === QuestAction.TURN_IN) this.w.toast({ title: 'Quest complete', detail: q.name, retry: false }, 'info');
    else if (m.action === QuestAction.ABANDON) this.w.toast({ title: 'Quest abandoned', detail: q.name, retry: false }, 'info');
  }

  /** For the debug hook (tests): the log's states, the markers drawn, whether a dialog is open. */
  debug(): DebugQuests {
    const log: Record<number, number> = {};
    this.w.catalogue.json.quests.forEach((_, n) => {
      const s = this.journal.stateOf(n);
      if (s !== QuestState.NONE) log[n] = s;
    });
    const markers: Record<number, string> = {};
    for (const [id, o] of this.w.others) if (o.view.marker) markers[id] = o.view.marker;
    return { log, markers, dialogOpen: this.panel.dialogOpen };
  }

  toggleLog(): void {
    this.panel.toggleLog();
  }

  /** E: speaks with the selected NPC, or the nearest one in range. */
  interact(): void {
    const me = this.w.myPosition();
    if (!me) return;
    const near = (id: number) => {
      const o = this.w.others.get(id);
      if (!o || o.state.kind !== EntityKindValues.NPC || (o.state.flags & EntityFlagValues.DEAD) !== 0) return Infinity;
      return Math.hypot(o.drawn.x - me.x, o.drawn.y - me.y);
    };
    let id = near(this.w.targetId()) <= TALK_RANGE ? this.w.targetId() : 0;
    if (id === 0) {
      let best = TALK_RANGE;
      for (const k of this.w.others.keys()) {
        const d = near(k);
        if (d <= best) [id, best] = [k, d];
      }
    }
    if (id === 0) return this.w.toast({ title: 'Nobody to speak with', detail: 'Walk up to someone and press E.', retry: false }, 'warn');
    this.talking = id;
    this.w.session.quest(QuestAction.TALK, ANY_QUEST, id);
    this.redrawDialog(true);
  }

  accept(quest: number): void {
    this.w.session.quest(QuestAction.ACCEPT, quest, this.talking);
  }

  turnIn(quest: number): void {
    this.w.session.quest(QuestAction.TURN_IN, quest, this.talking);
  }

  abandon(quest: number): void {
    this.w.session.quest(QuestAction.ABANDON, quest, 0);
  }

  /** After a snapshot: markers over the NPCs in view (redrawn when the log or the level changed, or for new NPCs). */
  mark(): void {
    const level = this.w.myLevel();
    const all = this.markedVersion !== this.journal.version || this.markedLevel !== level;
    this.markedVersion = this.journal.version;
    this.markedLevel = level;
    for (const o of this.w.others.values()) {
      if (o.state.kind !== EntityKindValues.NPC) continue;
      if (all || !o.view.marked) o.view.setMarker(this.journal.markerFor(o.state.template, level), this.w.tile);
    }
  }

  private redrawDialog(open = false): void {
    if (!open && !this.panel.dialogOpen) return;
    const o = this.w.others.get(this.talking);
    if (!o) return this.panel.close();
    const npc = o.state.template;
    const { offers, takes } = this.journal.forNpc(npc, this.w.myLevel());
    this.panel.open(
      npc,
      this.w.catalogue.json.npcs[npc - 1]?.name ?? 'Someone',
      offers.map((n) => [n, this.quests[n]] as const),
      takes.map((n) => [n, this.quests[n], this.journal.stateOf(n) === QuestState.READY] as const),
    );
  }
}


/** The game as the quest controller sees it. */
export function questWorldOf(
  g: { session: Session; catalogue: Catalogue; others: ReadonlyMap<number, QuestEntity>; tile: number; meState: { level: number } | null; me: unknown; meDrawn: { x: number; y: number }; combat: { target: number } },
  hud: { toast(t: Told, kind?: 'info' | 'warn'): void },
): QuestWorld {
  return {
    get session() {
      return g.session;
    },
    catalogue: g.catalogue,
    others: g.others,
    get tile() {
      return g.tile;
    },
    myLevel: () => g.meState?.level ?? 0,
    myPosition: () => (g.me ? g.meDrawn : undefined),
    targetId: () => g.combat.target,
    toast: (t, kind) => hud.toast(t, kind),
  };
}
