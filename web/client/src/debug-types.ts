/** What window.__tessera (debug.ts) reports; DOM-free so Node tests can name it. */
export interface DebugEntity {
  id: number;
  kind: number;
  template: number;
  flags: number;
  /** Drawn position, world units. */
  x: number;
  y: number;
  /** On screen, CSS pixels. */
  sx: number;
  sy: number;
}

export interface DebugState {
  state: number;
  zone: string;
  zoneTitle: string;
  loading: boolean;
  tick: number;
  me: (DebugEntity & { serverX: number; serverY: number }) | null;
  others: DebugEntity[];
  tilesDrawn: Record<string, number>;
  frames: number;
  rtt: number;
  corrections: number;
  tile: number;
  scale: number;
  /** Screen position (CSS pixels) of the world's origin. */
  worldX: number;
  worldY: number;
  /** The map's background colour. */
  background: string;
  /** The fight as the HUD shows it. */
  combat: DebugCombat;
  /** Quests as the client knows them. */
  quests: DebugQuests;
  /** The inventory as the panels show it. */
  items: DebugItems;
}

export interface DebugItem {
  id: number;
  template: number;
  count: number;
  /** Bag slot, or equipment slot index. */
  slot: number;
}

export interface DebugItems {
  /** A full INVENTORY came. */
  known: boolean;
  gold: number;
  bag: DebugItem[];
  equipment: DebugItem[];
  bagOpen: boolean;
  characterOpen: boolean;
  /** ITEM requests not answered yet. */
  waiting: number;
}

export interface DebugQuests {
  /** Quest number → state (QuestState) in the log. */
  log: Record<number, number>;
  /** NPC entity → the marker over its head ('available', 'ready', 'active'; absent: none). */
  markers: Record<number, string>;
  dialogOpen: boolean;
}

export interface DebugCombat {
  /** The selected target (0: none), and its health as the target frame shows it. */
  target: number;
  targetHp: number;
  targetMaxHp: number;
  /** The own entity's `target` field: the server's word on the selection. */
  serverTarget: number;
  /** Floating texts shown since the page loaded. */
  floaters: number;
  /** The hotbar's skill numbers (0: empty). */
  hotbar: number[];
  autoAttack: boolean;
  xp: number;
  /** The own resource now (mana, energy or rage). */
  resource: number;
  /** The player's hits (DAMAGE events it dealt) by skill (0: auto-attack). */
  hits: Record<number, number>;
  /** Other players' names (NAMES) by entity. */
  names: Record<number, string>;
  /** Skills of the auras the frames show: the player's and the target's. */
  auras: { me: number[]; target: number[] };
  /** The last lines shown over the hotbar (refusals, pick-ups), newest last. */
  messages: string[];
  /** Others drawing a cast bar now: entity → skill. */
  casting: Record<number, number>;
}

/** Per frame over a window: the frame's work on the main thread (update and render submission) and the interval since the previous frame, ms. */
export interface FrameStats {
  work: number[];
  /** The part of `work` before PixiJS renders: the game's update (snapshots applied, interpolation, prediction, camera). */
  update: number[];
  interval: number[];
  entities: number;
}

export interface DebugHook {
  /** Records frame times for `ms` (the client benchmark). */
  frames(ms: number): Promise<FrameStats>;
  state(): DebugState;
  /** Walks the player to world point (x, y) through the client's own input path (as a click there). */
  walkTo(x: number, y: number): void;
  /** Records the drawn position of entity `id` on every frame for `ms`. */
  track(id: number, ms: number): Promise<{ t: number; x: number; y: number; tick: number }[]>;
}

