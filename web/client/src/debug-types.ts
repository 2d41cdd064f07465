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
}

export interface DebugHook {
  state(): DebugState;
  /** Records the drawn position of entity `id` on every frame for `ms`. */
  track(id: number, ms: number): Promise<{ t: number; x: number; y: number; tick: number }[]>;
}

