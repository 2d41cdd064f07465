/**
 * Keyboard and pointer input: WASD and the arrow keys give a direction
 * (sent when it changes; released, a stop), a click or tap on the world a
 * destination. Keys are released when the window loses focus, so a player
 * never walks on by itself after switching tabs.
 */
const KEYS: Record<string, [number, number]> = {
  KeyW: [0, -1],
  ArrowUp: [0, -1],
  KeyS: [0, 1],
  ArrowDown: [0, 1],
  KeyA: [-1, 0],
  ArrowLeft: [-1, 0],
  KeyD: [1, 0],
  ArrowRight: [1, 0],
};

export interface ControlHandlers {
  /** The held direction changed: (dx, dy) each -1, 0 or 1; (0, 0) when every key is released. */
  direction(dx: number, dy: number): void;
  /** A click or tap at screen point (x, y), CSS pixels relative to the canvas. */
  destination(x: number, y: number): void;
}

export class Controls {
  private readonly held = new Set<string>();
  private dx = 0;
  private dy = 0;
  private readonly handlers: ControlHandlers;

  constructor(canvas: HTMLCanvasElement, handlers: ControlHandlers) {
    this.handlers = handlers;
    window.addEventListener('keydown', (e) => {
      if (!(e.code in KEYS) || e.altKey || e.ctrlKey || e.metaKey) return;
      // Keys typed into a form field are the field's.
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
      e.preventDefault();
      this.held.add(e.code);
      this.changed();
    });
    window.addEventListener('keyup', (e) => {
      if (!this.held.delete(e.code)) return;
      this.changed();
    });
    window.addEventListener('blur', () => this.releaseAll());
    document.addEventListener('visibilitychange', () => {
      if (document.hidden) this.releaseAll();
    });
    canvas.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      const r = canvas.getBoundingClientRect();
      canvas.focus();
      this.handlers.destination(e.clientX - r.left, e.clientY - r.top);
    });
  }

  releaseAll(): void {
    if (this.held.size === 0) return;
    this.held.clear();
    this.changed();
  }

  private changed(): void {
    let dx = 0;
    let dy = 0;
    for (const code of this.held) {
      const [x, y] = KEYS[code];
      dx += x;
      dy += y;
    }
    dx = Math.sign(dx);
    dy = Math.sign(dy);
    if (dx === this.dx && dy === this.dy) return;
    this.dx = dx;
    this.dy = dy;
    this.handlers.direction(dx, dy);
  }
}
