import { MoveKind } from '../protocol/opcodes.ts';
import type { Reader } from '../protocol/reader.ts';
import type { Writer } from '../protocol/writer.ts';
import { type PrivatePart, PartId } from './private-state.ts';

/**
 * Movement intent of every entity this cell owns: stop, walk in a unit
 * direction, or walk to a destination. Written by input and AI systems,
 * carried out by the movement system. Owner-private; travels in handoffs.
 */
export class Intents implements PrivatePart {
  readonly id = PartId.INTENTS;
  readonly name = 'intent';
  /** MoveKind per slot. */
  readonly move: Uint8Array;
  /** Unit direction or destination. */
  readonly a: Float32Array;
  readonly b: Float32Array;
  /** Units per second; 0 walks at the kind's default speed (the cell's player or wander speed). */
  readonly speed: Float32Array;

  constructor(capacity: number) {
    this.move = new Uint8Array(capacity);
    this.a = new Float32Array(capacity);
    this.b = new Float32Array(capacity);
    this.speed = new Float32Array(capacity);
  }

  appliesTo(): boolean {
    return true;
  }

  set(slot: number, move: number, a: number, b: number): void {
    this.move[slot] = move;
    this.a[slot] = a;
    this.b[slot] = b;
  }

  stop(slot: number): void {
    this.move[slot] = MoveKind.STOP;
  }

  size(): number {
    return 13;
  }

  write(w: Writer, slot: number): void {
    w.u8(this.move[slot]);
    w.f32(this.a[slot]);
    w.f32(this.b[slot]);
    w.f32(this.speed[slot]);
  }

  read(r: Reader, slot: number): void {
    this.move[slot] = r.u8();
    this.a[slot] = r.f32();
    this.b[slot] = r.f32();
    this.speed[slot] = r.f32();
  }

  /** A restarted cell forgets intents: players send a new one, AI picks again. */
  recover(slot: number): boolean {
    this.release(slot);
    return true;
  }

  release(slot: number): void {
    this.move[slot] = MoveKind.STOP;
    this.speed[slot] = 0;
  }
}
