import { AckLayout, ActionLayout, DismissNpcsLayout, DurableLayout, GateMsg, InputLayout, JoinLayout, LeaveLayout, MAX_CARRY_BYTES, ResyncLayout, RewardLayout, SayLayout, SpawnNpcLayout, TeleportLayout } from './gate-to-cell.ts';

/**
 * The reader of gate → cell messages (gate-to-cell.ts names their layouts
 * and writes them): what a cell decodes from its inbound ring, or from a
 * FORWARD of another cell. Every read checks the length first.
 */

/** A gate message decoded into reusable fields (no allocation per message). */
export class GateMessage {
  op = 0;
  conn = 0;
  characterId = 0;
  x = 0;
  y = 0;
  template = 0;
  hp = 0;
  level = 0;
  xp = 0;
  /** JOIN: the highest stored reward `xp` includes. */
  rewardSeq = 0;
  /** INPUT, ACTION; REWARD: the stored reward's number (0: none). */
  seq = 0;
  ackTick = 0;
  move = 0;
  a = 0;
  b = 0;
  /** ACTION (and `seq`, `x`, `y`) */
  kind = 0;
  target = 0;
  skill = 0;
  /** SAY: the line's offset in the view's bytes, and its length. */
  lineAt = 0;
  lineLength = 0;
  /** JOIN: where its combat carry lies in the view read, and its length (0: none). */
  carryAt = 0;
  carryLength = 0;

  /** Reads the message at `o` (length `len`); false when it is not a known, complete message. */
  read(v: DataView, o: number, len: number): boolean {
    if (len < 1) return false;
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
        this.level = v.getUint8(o + JoinLayout.level);
        this.xp = v.getUint32(o + JoinLayout.xp, true);
        this.rewardSeq = v.getUint32(o + JoinLayout.rewardSeq, true);
        this.carryAt = 0;
        this.carryLength = 0;
        if (len > JoinLayout.bytes) {
          if (len < JoinLayout.carry) return false;
          const n = v.getUint16(o + JoinLayout.carryLength, true);
          if (n > MAX_CARRY_BYTES || JoinLayout.carry + n !== len) return false;
          this.carryAt = o + JoinLayout.carry;
          this.carryLength = n;
        }
        return true;
      case GateMsg.LEAVE:
      case GateMsg.DEPART:
        if (len < LeaveLayout.bytes) return false;
        this.conn = v.getUint32(o + LeaveLayout.conn, true);
        return true;
      case GateMsg.RESYNC:
        if (len < ResyncLayout.bytes) return false;
        this.conn = v.getUint32(o + ResyncLayout.conn, true);
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
        if (len < AckLayout.bytes) return false;
        this.conn = v.getUint32(o + AckLayout.conn, true);
        this.ackTick = v.getUint32(o + AckLayout.ackTick, true);
        return true;
      case GateMsg.TELEPORT:
        if (len < TeleportLayout.bytes) return false;
        this.conn = v.getUint32(o + TeleportLayout.conn, true);
        this.x = v.getFloat32(o + TeleportLayout.x, true);
        this.y = v.getFloat32(o + TeleportLayout.y, true);
        return true;
      case GateMsg.ACTION:
        if (len < ActionLayout.bytes) return false;
        this.conn = v.getUint32(o + ActionLayout.conn, true);
        this.seq = v.getUint16(o + ActionLayout.seq, true);
        this.kind = v.getUint8(o + ActionLayout.kind);
        this.target = v.getUint32(o + ActionLayout.target, true);
        this.skill = v.getUint16(o + ActionLayout.skill, true);
        this.x = v.getFloat32(o + ActionLayout.x, true);
        this.y = v.getFloat32(o + ActionLayout.y, true);
        return true;
      case GateMsg.SAY:
        if (len < SayLayout.line) return false;
        this.conn = v.getUint32(o + SayLayout.conn, true);
        this.lineLength = v.getUint16(o + SayLayout.length, true);
        if (len !== SayLayout.line + this.lineLength) return false;
        this.lineAt = o + SayLayout.line;
        return true;
      case GateMsg.SPAWN_NPC:
        if (len < SpawnNpcLayout.bytes) return false;
        this.conn = 0;
        this.template = v.getUint16(o + SpawnNpcLayout.template, true);
        this.x = v.getFloat32(o + SpawnNpcLayout.x, true);
        this.y = v.getFloat32(o + SpawnNpcLayout.y, true);
        return true;
      case GateMsg.DISMISS_NPCS:
        if (len < DismissNpcsLayout.bytes) return false;
        this.conn = 0;
        this.template = v.getUint16(o + DismissNpcsLayout.template, true);
        return true;
      case GateMsg.REWARD:
        if (len < RewardLayout.bytes) return false;
        this.conn = v.getUint32(o + RewardLayout.conn, true);
        this.xp = v.getUint32(o + RewardLayout.experience, true);
        this.seq = v.getUint32(o + RewardLayout.seq, true);
        return true;
      case GateMsg.EXPERIENCE_DURABLE:
        if (len < DurableLayout.bytes) return false;
        this.conn = v.getUint32(o + DurableLayout.conn, true);
        this.xp = v.getUint32(o + DurableLayout.xp, true);
        return true;
      default:
        return false;
    }
  }
}
