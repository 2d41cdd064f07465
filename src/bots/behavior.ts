import { ChatChannel } from '../protocol/chat-codes.ts';
import { Limits, MoveKind } from '../protocol/opcodes.ts';
import type { ViewTable } from '../protocol/view-table.ts';

/** What a bot wants to do now; behaviours rewrite it, the bot sends it. */
export interface Intent {
  move: number;
  dx: number;
  dy: number;
  x: number;
  y: number;
  /** performance.now() at which the behaviour picks again. */
  until: number;
}

export function newIntent(): Intent {
  return { move: MoveKind.STOP, dx: 0, dy: 0, x: 0, y: 0, until: 0 };
}

/** The bot's own position in world units, or null when its entity is not in view. */
export function ownPosition(view: ViewTable, you: number, out: { x: number; y: number }): boolean {
  const i = view.indexOf(you);
  if (i < 0) return false;
  out.x = view.x[i] / Limits.positionScale;
  out.y = view.y[i] / Limits.positionScale;
  return true;
}

const EDGE = 8;

/**
 * Wander: walk in a direction for 1.5–5 s, turn, now and then stand still for
 * 1–3 s; near the map's edge, head back inwards (the server clamps anyway,
 * but a bot pressed against a wall stops exercising handoffs and AOI churn).
 */
export function wander(it: Intent, now: number, rnd: () => number, pos: { x: number; y: number } | null, mapW: number, mapH: number): void {
  const atEdge = pos !== null && (pos.x < EDGE || pos.y < EDGE || pos.x > mapW - EDGE || pos.y > mapH - EDGE);
  if (now < it.until && !(atEdge && it.move === MoveKind.DIRECTION && headsOut(it, pos!, mapW, mapH))) return;
  if (!atEdge && rnd() < 0.12) {
    it.move = MoveKind.STOP;
    it.dx = 0;
    it.dy = 0;
    it.until = now + 1000 + rnd() * 2000;
    return;
  }
  let angle = rnd() * Math.PI * 2;
  if (atEdge && pos) {
    // Point roughly at the centre, with some spread.
    angle = Math.atan2(mapH / 2 - pos.y, mapW / 2 - pos.x) + (rnd() - 0.5) * 1.2;
  }
  it.move = MoveKind.DIRECTION;
  it.dx = Math.round(Math.cos(angle) * 127);
  it.dy = Math.round(Math.sin(angle) * 127);
  it.until = now + 1500 + rnd() * 3500;
}

function headsOut(it: Intent, pos: { x: number; y: number }, mapW: number, mapH: number): boolean {
  return (pos.x < EDGE && it.dx < 0) || (pos.y < EDGE && it.dy < 0) || (pos.x > mapW - EDGE && it.dx > 0) || (pos.y > mapH - EDGE && it.dy > 0);
}

/** What bots say: short, ordinary lines (what the server's checks let through). */
const BOT_LINES = ['hello', 'anyone around?', 'nice weather', 'where are the wolves?', 'lfg', 'brb', 'gg', 'this way!', 'need a healer', 'o/'];

/**
 * A bot's next chat message: on say or zone (half each), one of BOT_LINES
 * with a number so the server's repeat check sees different messages.
 */
export function chatLine(rnd: () => number, n: number): { channel: number; text: string } {
  return { channel: rnd() < 0.5 ? ChatChannel.SAY : ChatChannel.ZONE, text: `${BOT_LINES[Math.floor(rnd() * BOT_LINES.length)]} (${n})` };
}

/** Milliseconds to the next chat message at `perMinute` a minute: exponential, so a fleet's messages are a Poisson stream; Infinity at 0. */
export function chatDelay(rnd: () => number, perMinute: number): number {
  if (!(perMinute > 0)) return Infinity;
  return (-Math.log(1 - rnd()) * 60_000) / perMinute;
}
