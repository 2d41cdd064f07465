import type { ActionMessage, InputMessage } from '../../protocol/messages.ts';
import { MoveKind } from '../../protocol/opcodes.ts';
import type { Connection } from './connection.ts';
import type { ZoneLink } from './zone-link.ts';

/**
 * Passes a playing client's INPUT or ACK to the cell that owns its entity
 * now (the store's owner word). Returns false when the cell's ring was full
 * (the message is dropped: the next one supersedes it).
 */
export function routeInput(link: ZoneLink, c: Connection, m: InputMessage | { op: 'ack'; ackTick: number }): boolean {
  const cell = link.ownerOf(c.handle);
  // An ack that crossed a ZONE_CHANGE on the wire names a tick of the old zone: not passed on.
  const ackTick = c.ackable(m.ackTick);
  if (m.op === 'ack') return ackTick === 0 || link.ack(cell, c.id, ackTick);
  let a = m.x;
  let b = m.y;
  if (m.move === MoveKind.DIRECTION) {
    const len = Math.hypot(m.dx, m.dy);
    a = len === 0 ? 0 : m.dx / len;
    b = len === 0 ? 0 : m.dy / len;
  }
  return link.input(cell, c.id, m.seq, ackTick, len0(m.move, a, b), a, b);
}

/** A direction input of length zero is a stop. */
function len0(move: number, a: number, b: number): number {
  return move === MoveKind.DIRECTION && a === 0 && b === 0 ? MoveKind.STOP : move;
}

/**
 * Passes a playing client's ACTION to the cell that owns its entity now, as
 * an input is. False when the cell's ring was full: dropped and counted, and
 * the client sends it again when its seq stays unanswered.
 */
export function routeAction(link: ZoneLink, c: Connection, m: ActionMessage): boolean {
  return link.action(link.ownerOf(c.handle), c.id, m.seq, m.kind, m.target, m.skill, m.x, m.y);
}
