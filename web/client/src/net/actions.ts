import type { ActionKindValue } from '../../../../src/protocol/combat-codes.ts';
import { encodeAction } from '../../../../src/protocol/encode.ts';

/**
 * Numbering and resending ACTIONs (pure, tested in Node). The server
 * handles each action once, in order, and echoes the newest it handled in
 * the self record (`actionSeq`); an action dropped on the way (the gate's
 * ring was full) is sent again, same seq, when that echo has not reached it
 * within RESEND_MS (docs/protocol.md, ACTION). Seqs are u16 and wrap.
 */
export const RESEND_MS = 500;
/** Sends of one action at most (the first and the resends). */
export const MAX_SENDS = 4;
const MAX_PENDING = 16;

/** True when u16 serial `a` is newer than `b`. */
export function seqNewer(a: number, b: number): boolean {
  const d = (a - b) & 0xffff;
  return d !== 0 && d < 0x8000;
}

interface Pending {
  seq: number;
  bytes: Uint8Array;
  sentAt: number;
  sends: number;
}

export class ActionSender {
  /** Newest seq given out. */
  seq = 0;
  /** Actions sent again. */
  resent = 0;
  private readonly pending: Pending[] = [];

  /** The next action, encoded with a new seq; remembered until the server has handled it. */
  next(kind: ActionKindValue, target: number, skill: number, x: number, y: number, now: number): Uint8Array {
    this.seq = (this.seq + 1) & 0xffff;
    const bytes = encodeAction({ seq: this.seq, kind, target, skill, x, y });
    if (this.pending.length === MAX_PENDING) this.pending.shift();
    this.pending.push({ seq: this.seq, bytes, sentAt: now, sends: 1 });
    return bytes;
  }

  /** The self record says the server has handled every action up to `actionSeq`. */
  handled(actionSeq: number): void {
    while (this.pending.length > 0 && !seqNewer(this.pending[0].seq, actionSeq)) this.pending.shift();
  }

  /** The actions to send again now (oldest first), each marked as sent. */
  due(now: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let i = 0; i < this.pending.length; i++) {
      const p = this.pending[i];
      if (now - p.sentAt < RESEND_MS) continue;
      if (p.sends >= MAX_SENDS) {
        this.pending.splice(i--, 1);
        continue;
      }
      p.sentAt = now;
      p.sends++;
      this.resent++;
      out.push(p.bytes);
    }
    return out;
  }

  get waiting(): number {
    return this.pending.length;
  }

  /** Forgets what waits (a new zone: a new entity, whose actions start afresh on the server). */
  clear(): void {
    this.pending.length = 0;
  }
}
