import { Application, Container, Graphics } from 'pixi.js';
import { dequantise } from '../../../src/protocol/encode.ts';
import { MoveKind } from '../../../src/protocol/opcodes.ts';
import { CombatController, type CombatWorld } from './combat/combat-controller.ts';
import { bindCombatKeys } from './combat/combat-keys.ts';
import { NoticeCode } from '../../../src/protocol/notices.ts';
import { Catalogue } from './content/catalogue.ts';
import { EntityFlagValues } from './content/kinds.ts';
import type { Content, LoadedZone } from './content/loader.ts';
import { zoneTitle } from './content/tile-data.ts';
import type { Hud } from './hud/hud.ts';
import { ChatBox } from './hud/chat-box.ts';
import { dotsOf, Minimap } from './hud/minimap.ts';
import { bindGameKeys } from './input/game-keys.ts';
import { Controls } from './input/controls.ts';
import { Track, type Drawn } from './net/interpolation.ts';
import { closeMessage, noticeMessage } from './net/messages.ts';
import type { ItemController } from './items/item-controller.ts';
import { itemsInPanels } from './items/item-world.ts';
import { QuestController, questWorldOf } from './quests/quest-controller.ts';
import { destinationIntent, directionIntent, STOPPED, type Position } from './net/movement.ts';
import { Predictor } from './net/prediction.ts';
import { Reconnector } from './net/reconnect.ts';
import { Session, type Login, type SocketLike, type Welcome } from './net/session.ts';
import { TickClock } from './net/tick-clock.ts';
import { EntityView, SpriteAtlas, emptyState, readState, type EntityState } from './render/entity-view.ts';
import { follow } from './render/camera.ts';
import { MapView } from './render/map-view.ts';
import { TextureBank } from './render/textures.ts';

/**
 * The game: one session, the zone it is in (map, prediction, others'
 * tracks, entity views), the camera and the per-frame update. Everything
 * per zone is dropped on ZONE_CHANGE and built again for the new zone's map
 * without reloading the page.
 */
interface Other {
  track: Track;
  view: EntityView;
  state: EntityState;
  drawn: Drawn;
}

export interface GameOptions {
  app: Application;
  content: Content;
  hud: Hud;
  login: Login;
  /** The player's name for its own label. */
  name: string;
  /** Opens the WebSocket (the browser's). */
  connect: () => SocketLike;
  /** Called when the player asks to connect again after a close. */
  restart: () => void;
}

export class Game implements CombatWorld {
  /** The session now: a reconnect after a drop replaces it (net/reconnect.ts). */
  session: Session;
  readonly reconnect: Reconnector;
  private readonly chat: ChatBox;
  readonly others = new Map<number, Other>();
  readonly world = new Container({ label: 'world' });
  readonly entities = new Container({ label: 'entities', sortableChildren: true });
  zoneName = '';
  zoneTitle = '';
  mapView: MapView | null = null;
  zone: LoadedZone | null = null;
  predictor: Predictor | null = null;
  clock: TickClock | null = null;
  me: EntityView | null = null;
  meState: EntityState | null = null;
  /** Own position as drawn this frame (world units). */
  readonly meDrawn: Position = { x: 0, y: 0 };
  /** The server's latest word on the own position. */
  readonly meServer: Position = { x: 0, y: 0 };
  zoom = 1;
  frames = 0;
  /** Other players' names (NAMES) by entity, for this zone. */
  readonly names = new Map<number, string>();
  readonly combat: CombatController;
  readonly quests: QuestController;
  readonly items: ItemController;
  private readonly o: GameOptions;
  readonly catalogue: Catalogue;
  private atlas: SpriteAtlas | null = null;
  private readonly bank: TextureBank;
  private readonly minimap: Minimap;
  private readonly marker = new Graphics();
  private markerUntil = 0;
  /** A zone's map is loading: snapshots are applied but nothing is placed yet. */
  private loading: Promise<void> | null = null;
  private wanted: { move: number; dx: number; dy: number; x: number; y: number } | null = null;
  /** The direction the keys hold now (each -1, 0 or 1). */
  private readonly held = { x: 0, y: 0 };
  private lastFrame = -1;
  private lastHud = 0;
  private zoneSeq = 0;

  constructor(o: GameOptions) {
    this.o = o;
    this.catalogue = new Catalogue(o.content.entities);
    this.bank = new TextureBank(o.content.base);
    this.minimap = new Minimap(document.getElementById('minimap') as HTMLCanvasElement);
    o.app.stage.addChild(this.world);
    this.marker.visible = false;
    o.hud.setConnection('connecting');
    o.hud.setPlayer(o.name, 0);
    new Controls(o.app.canvas, {
      direction: (dx, dy) => {
        this.held.x = dx;
        this.held.y = dy;
        this.want(dx === 0 && dy === 0 ? MoveKind.STOP : MoveKind.DIRECTION, dx * 127, dy * 127, 0, 0);
      },
      destination: (sx, sy) => this.clickTo(sx, sy),
    });
    this.combat = new CombatController(this);
    this.quests = QuestController.inPanels(questWorldOf(this, o.hud), document.getElementById('hud-panels') ?? document.body);
    this.items = itemsInPanels(this, o.content.base);
    bindCombatKeys(o.app.canvas, this.combat);
    bindGameKeys({ interact: () => this.quests.interact(), toggleLog: () => this.quests.toggleLog(), toggleBag: () => this.items.toggleBag(), toggleCharacter: () => this.items.toggleCharacter(), pickUp: () => this.items.pickUpNearest(), zoom: (step) => (this.zoom = Math.min(3, Math.max(0.5, this.zoom + step))) });
    this.chat = new ChatBox(document.body, (channel, target, text) => this.session.chat(channel, target, text));
    this.reconnect = new Reconnector(
      o.login,
      {
        open: (login) => (this.session = this.openSession(login)),
        reconnecting: () => o.hud.setConnection('reconnecting'),
        giveUp: (code, reason) => {
          o.hud.setConnection('offline');
          o.hud.showClosed(closeMessage(code, this.session.lastError, reason), o.restart);
        },
      },
      { now: () => performance.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (t) => clearTimeout(t as number), random: Math.random },
    );
    this.session = this.openSession(o.login);
    o.app.ticker.add(() => this.frame(performance.now()));
    this.loadAtlas().catch((err: unknown) => console.warn('sprite atlas failed to load; drawing markers', err));
  }

  /** A session on a new socket; its close goes to the reconnector, which may open the next. */
  private openSession(login: Login): Session {
    const o = this.o;
    return new Session(o.connect(), login, o.content.hash, {
      welcome: (w) => {
        this.reconnect.welcomed();
        this.onWelcome(w);
      },
      zoneChange: (z) => this.enterZone(z.zoneName, z.tickHz),
      snapshot: (v, now) => {
        this.chat.receive(v.chat);
        this.onSnapshot(now);
      },
      notice: (n) => o.hud.toast(noticeMessage(n), n.code === NoticeCode.WORLD_EVENT || n.code === NoticeCode.ANNOUNCEMENT ? 'info' : 'warn'),
      quest: (m) => this.quests.onMessage(m),
      inventory: (m) => this.items.onMessage(m),
      names: (m) => {
        for (const e of m.entries) {
          this.names.set(e.entity, e.name);
          this.others.get(e.entity)?.view.setName(e.name);
        }
      },
      pong: (rtt) => {
        this.clock?.onRoundTrip(rtt);
        o.hud.setConnection(rtt > 400 ? 'lagging' : 'online', rtt);
      },
      resumeToken: (token, graceMs) => this.reconnect.tokenGiven(token, graceMs),
      closed: (code, reason) => this.reconnect.closed(code, reason),
    }, () => performance.now());
  }

  private async loadAtlas(): Promise<void> {
    const sp = this.o.content.entities.sprites;
    if (sp && sp.image.path) this.atlas = new SpriteAtlas(await this.bank.load(sp.image), sp);
  }

  private onWelcome(w: Welcome): void {
    // The zone by name (protocol 4); by number and map size from a server that does not name it.
    const name = this.o.content.manifest.zones.some((z) => z.name === w.zoneName) ? w.zoneName : this.o.content.zoneOfId(w.zoneId, w.mapWidth, w.mapHeight);
    if (!name) {
      this.o.hud.toast({ title: 'Unknown zone', detail: `The server put you in zone ${w.zoneId}, which this page's content lacks. Reload the page.`, retry: false }, 'warn');
      return;
    }
    this.enterZone(name, w.tickHz);
  }

  /** Drops everything of the old zone and loads the new one's map. */
  private enterZone(name: string, tickHz: number): void {
    const seq = ++this.zoneSeq;
    for (const o of this.others.values()) o.view.destroy();
    this.others.clear();
    this.me?.destroy();
    this.me = null;
    this.meState = null;
    this.predictor = null;
    this.names.clear();
    this.combat.reset(tickHz);
    this.items.reset();
    this.clock = new TickClock({ tickHz });
    if (name === this.zoneName && this.mapView && this.zone && !this.loading) {
      // The same zone again (a portal that refused the player): the map stays, the player is a new entity.
      this.predictor = new Predictor(this.zone.walkability, { tickHz });
      return;
    }
    this.zoneName = name;
    this.o.hud.setLoading(`Entering ${name}…`);
    this.loading = (async () => {
      const zone = await this.o.content.zone(name);
      const view = await MapView.build(zone.map, this.bank);
      if (seq !== this.zoneSeq) {
        view.destroy();
        return;
      }
      this.mapView?.destroy();
      this.world.removeChildren();
      this.mapView = view;
      this.zone = zone;
      this.world.addChild(view.below, this.combat.ring.ring, this.entities, this.marker, view.above, this.combat.floaters.layer);
      this.o.app.renderer.background.color = zone.map.backgroundColor || '#101010';
      this.zoneTitle = zoneTitle(zone.map);
      this.o.hud.setZone(this.zoneTitle);
      this.minimap.setZone(zone.walkability, this.zoneTitle);
      this.predictor = new Predictor(zone.walkability, { tickHz });
      this.o.hud.setLoading(null);
      this.loading = null;
    })();
    this.loading.catch((err: unknown) => {
      this.o.hud.setLoading(null);
      this.o.hud.toast({ title: 'Map failed to load', detail: err instanceof Error ? err.message : String(err), retry: false }, 'warn');
    });
  }

  private onSnapshot(now: number): void {
    const clock = this.clock;
    if (!clock) return;
    const t = this.session.view.current;
    const h = this.session.view.header;
    clock.onSnapshot(t.tick, now);
    if (this.loading || !this.predictor) return;
    const you = h.you;
    const seen = new Set<number>();
    for (let i = 0; i < t.count; i++) {
      const id = t.ids[i];
      const x = dequantise(t.x[i]);
      const y = dequantise(t.y[i]);
      if (id === you) {
        const state = readState(t, i, this.meState ?? emptyState());
        this.meServer.x = x;
        this.meServer.y = y;
        const p = this.predictor;
        if (!p.placed) {
          p.place(x, y);
          // A new entity (a new zone) has no intent: keys still held walk on.
          if (this.held.x !== 0 || this.held.y !== 0) this.want(MoveKind.DIRECTION, this.held.x * 127, this.held.y * 127, 0, 0);
        }
        p.advanceTo(now);
        p.reconcile(t.tick, h.lastInputSeq, x, y, (state.flags & EntityFlagValues.MOVING) !== 0);
        if (!this.me) {
          this.me = new EntityView(id, true, this.o.name);
          this.entities.addChild(this.me.root);
        }
        this.meState = state;
        this.me.update(state, this.catalogue, this.atlas, this.tile);
        continue;
      }
      seen.add(id);
      let o = this.others.get(id);
      if (!o) {
        o = { track: new Track(), view: new EntityView(id, false, ''), state: emptyState(), drawn: { x, y, extrapolated: false } };
        this.others.set(id, o);
        this.entities.addChild(o.view.root);
        const name = this.names.get(id);
        if (name !== undefined) o.view.setName(name);
      }
      o.track.push(t.tick, x, y);
      readState(t, i, o.state);
      o.view.update(o.state, this.catalogue, this.atlas, this.tile);
    }
    for (const [id, o] of this.others) {
      if (seen.has(id)) continue;
      o.view.destroy();
      this.others.delete(id);
    }
    this.combat.onSnapshot(this.session.view.events, this.session.view.self, t.tick, now);
    this.quests.mark();
    this.items.onSnapshot();
  }

  // ---- what the combat controller reads (CombatWorld) ----

  get scale(): number {
    return this.world.scale.x;
  }

  get meId(): number {
    return this.session.view.header.you;
  }

  get meShown(): { state: EntityState; drawn: Position } | null {
    return this.meState ? { state: this.meState, drawn: this.meDrawn } : null;
  }

  playerName(id: number): string | undefined {
    return this.names.get(id);
  }

  get myName(): string {
    return this.o.name;
  }

  get tile(): number {
    return this.mapView?.tileWidth ?? 32;
  }

  /** Remembers the input to send; sent on the next frame (so a burst of key changes is one input). */
  private want(move: number, dx: number, dy: number, x: number, y: number): void {
    this.wanted = { move, dx, dy, x, y };
  }

  /** Walks to world point (x, y), as a click there does (the tests' route walking). */
  walkTo(x: number, y: number): void {
    this.want(MoveKind.DESTINATION, 0, 0, x, y);
  }

  private clickTo(sx: number, sy: number): void {
    if (!this.predictor || !this.zone) return;
    const s = this.world.scale.x;
    const x = (sx - this.world.x) / s / this.tile;
    const y = (sy - this.world.y) / s / this.tile;
    if (x < 0 || y < 0 || x >= this.zone.map.width || y >= this.zone.map.height) return;
    if (this.combat.click(x, y) || this.items.click(x, y)) return;
    this.want(MoveKind.DESTINATION, 0, 0, x, y);
    this.marker.clear().circle(0, 0, this.tile * 0.3).stroke({ color: 0xffffff, width: 2, alpha: 0.9 });
    this.marker.position.set(x * this.tile, y * this.tile);
    this.marker.visible = true;
    this.markerUntil = performance.now() + 600;
  }

  private sendWanted(): void {
    const w = this.wanted;
    const p = this.predictor;
    if (!w || !p || !p.placed) return;
    const seq = this.session.input(w.move, w.dx, w.dy, w.x, w.y);
    if (seq < 0) return; // no room this second: tried again next frame
    this.wanted = null;
    p.input(seq, w.move === MoveKind.DIRECTION ? directionIntent(w.dx, w.dy) : w.move === MoveKind.DESTINATION ? destinationIntent(w.x, w.y) : STOPPED);
  }

  private frame(now: number): void {
    const dt = this.lastFrame < 0 ? 0 : now - this.lastFrame;
    this.lastFrame = now;
    this.frames++;
    this.session.update(now);
    const p = this.predictor;
    const clock = this.clock;
    if (p && clock && p.placed) {
      p.advanceTo(now);
      if (clock.rttSamples > 0) p.align(clock.inputPhase(), dt);
      this.sendWanted();
      p.drawn(this.meDrawn);
      this.me?.root.position.set(this.meDrawn.x * this.tile, this.meDrawn.y * this.tile);
      if (this.me) this.me.root.zIndex = this.meDrawn.y;
      const rt = clock.renderTick(now);
      for (const o of this.others.values()) {
        if (!o.track.sample(rt, o.drawn)) continue;
        o.view.root.position.set(o.drawn.x * this.tile, o.drawn.y * this.tile);
        o.view.root.zIndex = o.drawn.y;
      }
      if (this.zone) follow(this.world, this.o.app.screen, this.zone.map, this.tile, this.zoom, this.meDrawn);
    }
    this.combat.frame(now);
    this.mapView?.update(now);
    if (this.marker.visible && now > this.markerUntil) this.marker.visible = false;
    if (now - this.lastHud > 100) {
      this.lastHud = now;
      this.updateHud();
    }
  }

  private updateHud(): void {
    this.combat.refreshHud(performance.now());
    this.items.refresh();
    const s = this.meState;
    if (s) {
      this.o.hud.setHealth(s.hp, s.maxHp);
      this.o.hud.setPlayer(this.o.name, s.level);
    }
    this.minimap.draw(this.me ? this.meDrawn : null, dotsOf(this.others.values()));
  }

  /** Screen position (CSS pixels) of a world position. */
  toScreen(x: number, y: number): { x: number; y: number } {
    const s = this.world.scale.x;
    return { x: this.world.x + x * this.tile * s, y: this.world.y + y * this.tile * s };
  }

  get zoneLoading(): boolean {
    return this.loading !== null;
  }
}
