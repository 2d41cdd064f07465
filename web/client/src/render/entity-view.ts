import { BitmapText, Container, Graphics, Rectangle, Sprite, Texture, type TextureSource } from 'pixi.js';
import type { ViewTable } from '../../../../src/protocol/view-table.ts';
import type { Catalogue } from '../content/catalogue.ts';
import { EntityFlagValues, EntityKindValues } from '../content/kinds.ts';
import type { QuestMarker } from '../quests/quest-journal.ts';

/**
 * One entity on screen: its sprite from the atlas (by kind, class, NPC
 * template or item), its name, a health bar while it is hurt (always for the
 * player), dimmed and lying down when dead. Redraws only what changed.
 */
const NAME_STYLE = { fontFamily: 'system-ui, sans-serif', fontSize: 11, fill: 0xffffff, stroke: { color: 0x000000, width: 3 } } as const;
const BAR_W = 28;
const BAR_H = 4;
const KIND_MARKER: Record<number, number> = { [EntityKindValues.PLAYER]: 0x4aa3ff, [EntityKindValues.NPC]: 0xe0a040, [EntityKindValues.ITEM]: 0xf0e060, [EntityKindValues.CORPSE]: 0x777777 };

export interface EntityState {
  kind: number;
  template: number;
  hp: number;
  maxHp: number;
  level: number;
  flags: number;
  /** The entity it targets (0: none). */
  target: number;
  /** The class resource and its maximum (players). */
  mana: number;
  maxMana: number;
  /** The skill being cast (0: none), the low 16 bits of its end tick, its length in ticks. */
  castSkill: number;
  castEnd: number;
  castTicks: number;
}

/** An EntityState of nothing (what a view showed before its first update). */
export function emptyState(): EntityState {
  return { kind: -1, template: -1, hp: -1, maxHp: -1, level: -1, flags: -1, target: 0, mana: 0, maxMana: 0, castSkill: 0, castEnd: 0, castTicks: 0 };
}

/** Reads row `i` of a view into `s` (in place: no object per entity per snapshot). */
export function readState(t: ViewTable, i: number, s: EntityState): EntityState {
  s.kind = t.kind[i];
  s.template = t.template[i];
  s.hp = t.hp[i];
  s.maxHp = t.maxHp[i];
  s.level = t.level[i];
  s.flags = t.flags[i];
  s.target = t.target[i];
  s.mana = t.mana[i];
  s.maxMana = t.maxMana[i];
  s.castSkill = t.castSkill[i];
  s.castEnd = t.castEnd[i];
  s.castTicks = t.castTicks[i];
  return s;
}

export class EntityView {
  readonly id: number;
  readonly root = new Container();
  private readonly body = new Container();
  private sprite: Sprite | Graphics | null = null;
  private readonly label: BitmapText;
  private readonly bar = new Graphics();
  /** Another's cast bar, under its feet; created on its first cast. */
  private castBar: Graphics | null = null;
  private castShown = -1;
  private readonly self: boolean;
  private readonly selfName: string;
  private shown: EntityState = emptyState();
  /** Another player's name (NAMES), shown with its class; '' until told. */
  private playerName = '';
  private drewWithAtlas = false;
  /** '!' (a quest to take), '?' (one to hand in, grey while under way) over a quest giver; null: none. */
  private markerText: BitmapText | null = null;
  private markerKind: QuestMarker = null;

  constructor(id: number, self: boolean, selfName: string) {
    this.id = id;
    this.self = self;
    this.selfName = selfName;
    this.label = new BitmapText({ text: '', style: { ...NAME_STYLE, fill: self ? 0xffe08a : 0xffffff } });
    this.label.anchor.set(0.5, 1);
    this.root.addChild(this.body, this.bar, this.label);
  }

  /** True once a quest marker (or its absence) was set. */
  marked = false;

  /** Shows a quest marker over the head (quest-journal.ts), or none. */
  setMarker(m: QuestMarker, tile: number): void {
    this.marked = true;
    if (m === this.markerKind) return;
    this.markerKind = m;
    if (!m) {
      this.markerText?.destroy();
      this.markerText = null;
      return;
    }
    if (!this.markerText) {
      this.markerText = new BitmapText({ text: '', style: { ...NAME_STYLE, fontSize: 18, fontWeight: 'bold' } });
      this.markerText.anchor.set(0.5, 1);
      this.root.addChild(this.markerText);
    }
    this.markerText.text = m === 'available' ? '!' : '?';
    this.markerText.tint = m === 'active' ? 0x9a9a9a : 0xffd200;
    this.markerText.position.set(0, -tile * 0.55 - BAR_H - 16);
  }

  /** The quest marker shown now. */
  get marker(): QuestMarker {
    return this.markerKind;
  }

  /** Another player's name; redrawn at the next update. */
  setName(name: string): void {
    if (name === this.playerName) return;
    this.playerName = name;
    this.shown.level = -1;
  }

  /** Brings the view up to `s` (cheap when nothing changed). */
  update(s: EntityState, cat: Catalogue, atlas: SpriteAtlas | null, tile: number): void {
    const o = this.shown;
    if (s.kind !== o.kind || s.template !== o.template || this.drewWithAtlas !== (atlas !== null)) {
      this.drewWithAtlas = atlas !== null;
      this.sprite?.destroy();
      const t = atlas ? atlas.texture(cat.spriteOf(s.kind, s.template)) : undefined;
      if (t) {
        const sp = new Sprite(t);
        sp.anchor.set(0.5, 0.5);
        sp.scale.set(tile / t.width);
        this.sprite = sp;
      } else {
        this.sprite = new Graphics().circle(0, 0, tile * 0.3).fill(KIND_MARKER[s.kind] ?? 0xffffff).stroke({ color: 0x000000, width: 2 });
      }
      this.body.addChild(this.sprite);
    }
    const dead = (s.flags & EntityFlagValues.DEAD) !== 0;
    if (dead !== ((o.flags & EntityFlagValues.DEAD) !== 0) || o.flags === -1 || s.kind !== o.kind) {
      // The dead lie down, dimmed; a corpse is drawn dimmed too.
      this.body.alpha = dead ? 0.45 : s.kind === EntityKindValues.CORPSE ? 0.7 : 1;
      this.body.rotation = dead ? Math.PI / 2 : 0;
      if (this.sprite instanceof Sprite) this.sprite.tint = dead ? 0x9a9a9a : 0xffffff;
    }
    if (s.kind !== o.kind || s.template !== o.template || s.level !== o.level || dead !== ((o.flags & EntityFlagValues.DEAD) !== 0)) {
      const name = this.self ? this.selfName : cat.nameOf(s.kind, s.template);
      // Another player: its name and its class ("Ann · Warrior 3"); the class alone until the name comes.
      const label = !this.self && s.kind === EntityKindValues.PLAYER && this.playerName !== '' ? `${this.playerName} · ${name}` : name;
      this.label.text = dead || label === '' ? '' : s.level > 0 && s.kind !== EntityKindValues.ITEM ? (label === name || this.self ? `${label} · ${s.level}` : `${label} ${s.level}`) : label;
      this.label.position.set(0, -tile * 0.55 - (this.showsBar(s, dead) ? BAR_H + 2 : 0));
    }
    if (s.hp !== o.hp || s.maxHp !== o.maxHp || dead !== ((o.flags & EntityFlagValues.DEAD) !== 0)) {
      this.bar.clear();
      if (this.showsBar(s, dead)) {
        const f = s.maxHp > 0 ? Math.max(0, Math.min(1, s.hp / s.maxHp)) : 0;
        const y = -tile * 0.55 - BAR_H;
        this.bar.rect(-BAR_W / 2 - 1, y - 1, BAR_W + 2, BAR_H + 2).fill(0x000000);
        this.bar.rect(-BAR_W / 2, y, BAR_W * f, BAR_H).fill(f > 0.5 ? 0x3fcf4f : f > 0.25 ? 0xe8c23a : 0xe0453a);
      }
      this.label.position.set(0, -tile * 0.55 - (this.showsBar(s, dead) ? BAR_H + 2 : 0));
    }
    Object.assign(this.shown, s);
  }

  /** Another's cast: progress 0..1 as a bar under it (redrawn when it moved a pixel); -1 hides it. */
  setCast(progress: number, tile: number): void {
    if (progress < 0) {
      if (this.castShown >= 0 && this.castBar) this.castBar.visible = false;
      this.castShown = -1;
      return;
    }
    const w = Math.round(BAR_W * progress);
    if (w === this.castShown) return;
    this.castShown = w;
    if (!this.castBar) {
      this.castBar = new Graphics();
      this.root.addChild(this.castBar);
    }
    const y = tile * 0.5 + 2;
    this.castBar.clear();
    this.castBar.rect(-BAR_W / 2 - 1, y - 1, BAR_W + 2, BAR_H + 2).fill(0x000000);
    this.castBar.rect(-BAR_W / 2, y, w, BAR_H).fill(0xffc04a);
    this.castBar.visible = true;
  }

  /** True while a cast bar shows (the debug hook). */
  get casting(): boolean {
    return this.castShown >= 0;
  }

  private showsBar(s: EntityState, dead: boolean): boolean {
    if (dead || s.maxHp <= 0 || s.kind === EntityKindValues.ITEM || s.kind === EntityKindValues.CORPSE) return false;
    return this.self || s.hp < s.maxHp || s.kind === EntityKindValues.PLAYER;
  }

  destroy(): void {
    this.root.destroy({ children: true });
  }
}

/** The sprite atlas of entities.json, cut into one texture per tile on demand. */
export class SpriteAtlas {
  private readonly source: TextureSource;
  private readonly json: NonNullable<import('../content/types.ts').ClientEntitiesJson['sprites']>;
  private readonly cache = new Map<number, Texture>();

  constructor(source: TextureSource, json: NonNullable<import('../content/types.ts').ClientEntitiesJson['sprites']>) {
    this.source = source;
    this.json = json;
  }

  texture(tile: number): Texture | undefined {
    if (tile < 0) return undefined;
    let t = this.cache.get(tile);
    if (!t) {
      const j = this.json;
      const cols = Math.max(1, j.columns);
      const x = j.margin + (tile % cols) * (j.tileWidth + j.spacing);
      const y = j.margin + Math.floor(tile / cols) * (j.tileHeight + j.spacing);
      t = new Texture({ source: this.source, frame: new Rectangle(x, y, j.tileWidth, j.tileHeight) });
      this.cache.set(tile, t);
    }
    return t;
  }
}
