/**
 * The soak bots' item chores, between fights: walk to loot lying near and
 * pick it up, or move an item of the bag to another bag slot. Each chore is
 * a small state machine stepped by the bot; a step may ask for one ITEM
 * request, whose answer the bot tracks (an unanswered one is "in flight"
 * across a break, continuity.ts).
 */
import type { ClientView } from '../../protocol/client-view.ts';
import { dequantise } from '../../protocol/encode.ts';
import { BAG_SLOTS, Container, ItemOp } from '../../protocol/item-codes.ts';
import type { ItemRequest } from '../../protocol/item-messages.ts';
import { MoveKind } from '../../protocol/opcodes.ts';
import { EntityKind } from '../../shared/layout.ts';
import type { Intent } from '../behavior.ts';
import type { AckedState } from './acked-state.ts';

/** Loot farther than this is left alone. */
const LOOT_REACH = 12;
/** Close enough to pick up (the server's range is 2 units). */
const PICKUP_AT = 1.5;
/** A chore that has not finished by then is given up. */
const CHORE_MS = 8000;

export interface ChoreStep {
  done: boolean;
  /** An ITEM request to send, and the item ids it is about. */
  request?: { ids: number[]; body: Omit<ItemRequest, 'op' | 'seq'> };
}

export interface Chore {
  step(view: ClientView, pos: { x: number; y: number } | null, it: Intent): ChoreStep;
}

/** A chore for now, or null (then the bot fights): loot in reach first, else now and then a bag move. */
export function chooseChore(view: ClientView, pos: { x: number; y: number } | null, state: AckedState, rnd: () => number): Chore | null {
  if (pos) {
    const loot = nearestLoot(view, pos);
    if (loot !== 0) return new PickUp(loot, Date.now() + CHORE_MS);
  }
  if (rnd() < 0.3) {
    const move = bagMove(state, rnd);
    if (move) return { step: () => ({ done: true, request: move }) };
  }
  return null;
}

function nearestLoot(view: ClientView, pos: { x: number; y: number }): number {
  const cur = view.current;
  let best = 0;
  let bestD = LOOT_REACH;
  for (let i = 0; i < cur.count; i++) {
    if (cur.kind[i] !== EntityKind.ITEM) continue;
    const d = Math.hypot(dequantise(cur.x[i]) - pos.x, dequantise(cur.y[i]) - pos.y);
    if (d < bestD) {
      bestD = d;
      best = cur.ids[i];
    }
  }
  return best;
}

/** Walks to ground item `handle` and asks to pick it up. */
class PickUp implements Chore {
  private readonly handle: number;
  private readonly until: number;

  constructor(handle: number, until: number) {
    this.handle = handle;
    this.until = until;
  }

  step(view: ClientView, pos: { x: number; y: number } | null, it: Intent): ChoreStep {
    const cur = view.current;
    const i = cur.indexOf(this.handle);
    if (i < 0 || !pos || Date.now() > this.until) return { done: true };
    const x = dequantise(cur.x[i]);
    const y = dequantise(cur.y[i]);
    if (Math.hypot(x - pos.x, y - pos.y) > PICKUP_AT) {
      it.move = MoveKind.DESTINATION;
      it.x = x;
      it.y = y;
      return { done: false };
    }
    it.move = MoveKind.STOP;
    return { done: true, request: { ids: [], body: { itemOp: ItemOp.PICKUP, item: this.handle, version: 0, other: 0, otherVersion: 0, slot: 0, count: 0 } } };
  }
}

/** A bag item moved to a free bag slot (null when the bag is empty or full). */
function bagMove(state: AckedState, rnd: () => number): ChoreStep['request'] | null {
  const bag = [...state.items.values()].filter((it) => it.container === Container.BAG);
  if (bag.length === 0 || bag.length >= BAG_SLOTS) return null;
  const used = new Set(bag.map((it) => it.slot));
  const free: number[] = [];
  for (let s = 0; s < BAG_SLOTS; s++) if (!used.has(s)) free.push(s);
  const item = bag[Math.floor(rnd() * bag.length)];
  const slot = free[Math.floor(rnd() * free.length)];
  return { ids: [item.id], body: { itemOp: ItemOp.MOVE, item: item.id, version: item.version, other: 0, otherVersion: 0, slot, count: 0 } };
}
