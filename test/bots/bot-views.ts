/** Views a bot's mind reads, built by hand for unit tests (what ClientView holds after a snapshot). */
import { ClientView } from '../../src/protocol/client-view.ts';
import { Limits } from '../../src/protocol/opcodes.ts';
import { SelfState } from '../../src/protocol/self-state.ts';

/** The bot's own entity handle in these views. */
export const ME = 10;

export interface Row {
  id: number;
  kind: number;
  template?: number;
  x: number;
  y: number;
  flags?: number;
  hp?: number;
  maxHp?: number;
  level?: number;
  target?: number;
}

/** A view at `tick` holding `rows`, with an empty self record. */
export function viewOf(tick: number, rows: Row[]): ClientView {
  const v = new ClientView(4);
  const t = v.current;
  const sorted = [...rows].sort((a, b) => a.id - b.id);
  t.ensure(sorted.length);
  t.count = sorted.length;
  t.tick = tick;
  sorted.forEach((r, i) => {
    t.ids[i] = r.id;
    t.kind[i] = r.kind;
    t.template[i] = r.template ?? 0;
    t.x[i] = r.x * Limits.positionScale;
    t.y[i] = r.y * Limits.positionScale;
    t.flags[i] = r.flags ?? 0;
    t.hp[i] = r.hp ?? 100;
    t.maxHp[i] = r.maxHp ?? 100;
    t.level[i] = r.level ?? 1;
    t.target[i] = r.target ?? 0;
  });
  v.header.you = ME;
  v.header.tick = tick;
  v.self = new SelfState();
  return v;
}
