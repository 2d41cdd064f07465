import { GateMsg, InputLayout, JoinLayout } from '../shared/cell-messages.ts';

/** A gate message decoded into reusable fields (no allocation per message). */
export class GateMessage {
  op = 0;
  conn = 0;
  characterId = 0;
  x = 0;
  y = 0;
  template = 0;
  hp = 0;
  seq = 0;
  ackTick = 0;
  move = 0;
  a = 0;
  b = 0;

  /** Reads the message at `o` (length `len`); false when it is not a known, complete message. */
  read(v: DataView, o: number, len: number): boolean {
    this.op = v.getUint8(o);
    switch (this.op) {
      case GateMsg.JOIN:
        if (len < JoinLayout.bytes) return false;
        this.conn = v.getUint32(o + JoinLayout.conn, true);
        this.characterId = v.getUint32(o + JoinLayout.characterId, true);
        this.x = v.getFloat32(o + JoinLayout.x, true);
        this.y = v.getFloat32(o + JoinLayout.y, true);
        this.template = v.getUint16(o + JoinLayout.template, true);
        this.hp = v.getUint16(o + JoinLayout.hp, true);
        return true;
      case GateMsg.LEAVE:
        if (len < 5) return false;
        this.conn = v.getUint32(o + 1, true);
        return true;
      case GateMsg.INPUT:
        if (len < InputLayout.bytes) return false;
        this.conn = v.getUint32(o + InputLayout.conn, true);
        this.seq = v.getUint32(o + InputLayout.seq, true);
        this.ackTick = v.getUint32(o + InputLayout.ackTick, true);
        this.move = v.getUint8(o + InputLayout.move);
        this.a = v.getFloat32(o + InputLayout.a, true);
        this.b = v.getFloat32(o + InputLayout.b, true);
        return true;
      case GateMsg.ACK:
        if (len < 9) return false;
        this.conn = v.getUint32(o + 1, true);
        this.ackTick = v.getUint32(o + 5, true);
        return true;
      default:
        return false;
    }
  }
}
