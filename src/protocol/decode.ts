import { ErrorCode, ProtocolError, type ErrorCodeValue } from './errors.ts';
import { NoticeCode, type NoticeCodeValue } from './notices.ts';
import { ActionKind, type ActionKindValue } from './combat-codes.ts';
import { AuthKind, ClientOp, Limits, MoveKind, ServerOp } from './opcodes.ts';
import type { ClientMessage, ServerMessage } from './messages.ts';
import { dequantise } from './encode.ts';
import { Reader } from './reader.ts';

const r = new Reader();

/**
 * Decodes one client frame. Throws only ProtocolError: unknown opcodes,
 * truncation, trailing bytes and out-of-range fields are all typed.
 */
export function decodeClientMessage(bytes: Uint8Array): ClientMessage {
  r.reset(bytes);
  const op = r.u8();
  let m: ClientMessage;
  switch (op) {
    case ClientOp.HELLO: {
      const version = r.u16();
      const auth = r.u8();
      if (auth !== AuthKind.GUEST && auth !== AuthKind.TOKEN) {
        throw new ProtocolError(ErrorCode.BAD_VALUE, `unknown auth kind ${auth}`);
      }
      const credential = r.str8(auth === AuthKind.GUEST ? Limits.maxNameBytes : Limits.maxTokenBytes);
      const characterId = r.u32();
      m = { op: 'hello', version, auth, credential, characterId, contentHash: r.str8(Limits.maxContentHashBytes) };
      break;
    }
    case ClientOp.INPUT: {
      const seq = r.u32();
      const ackTick = r.u32();
      const move = r.u8();
      let dx = 0;
      let dy = 0;
      let x = 0;
      let y = 0;
      if (move === MoveKind.DIRECTION) {
        dx = r.i8();
        dy = r.i8();
        if (dx === -128 || dy === -128) throw new ProtocolError(ErrorCode.BAD_VALUE, 'direction component out of -127..127');
      } else if (move === MoveKind.DESTINATION) {
        x = dequantise(r.u16());
        y = dequantise(r.u16());
      } else if (move !== MoveKind.STOP) {
        throw new ProtocolError(ErrorCode.BAD_VALUE, `unknown move kind ${move}`);
      }
      m = { op: 'input', seq, ackTick, move, dx, dy, x, y };
      break;
    }
    case ClientOp.ACK:
      m = { op: 'ack', ackTick: r.u32() };
      break;
    case ClientOp.PING: {
      const clientTime = r.f64();
      if (!Number.isFinite(clientTime)) throw new ProtocolError(ErrorCode.BAD_VALUE, 'ping time is not finite');
      m = { op: 'ping', clientTime };
      break;
    }
    case ClientOp.ACTION: {
      const seq = r.u16();
      const kind = r.u8();
      if (kind < ActionKind.TARGET || kind > ActionKind.RESPAWN) throw new ProtocolError(ErrorCode.BAD_VALUE, `unknown action kind ${kind}`);
      const target = r.u32();
      const skill = r.u16();
      if (kind === ActionKind.ATTACK && skill > 1) throw new ProtocolError(ErrorCode.BAD_VALUE, `auto-attack must be 0 (stop) or 1 (start), got ${skill}`);
      if (kind === ActionKind.SKILL && skill === 0) throw new ProtocolError(ErrorCode.BAD_VALUE, 'skill 0 is no skill');
      m = { op: 'action', seq, kind: kind as ActionKindValue, target, skill, x: dequantise(r.u16()), y: dequantise(r.u16()) };
      break;
    }
    default:
      throw new ProtocolError(ErrorCode.UNKNOWN_OPCODE, `unknown client opcode ${op}`);
  }
  r.finish();
  return m;
}

const knownErrors = new Set<number>(Object.values(ErrorCode));
const knownNotices = new Set<number>(Object.values(NoticeCode));

/**
 * Decodes a server frame other than a snapshot (see snapshot-codec.ts);
 * returns null for a snapshot so a client can route it.
 */
export function decodeServerMessage(bytes: Uint8Array): ServerMessage | null {
  r.reset(bytes);
  const op = r.u8();
  let m: ServerMessage;
  switch (op) {
    case ServerOp.WELCOME:
      m = {
        op: 'welcome',
        version: r.u16(),
        entity: r.u32(),
        zoneId: r.u16(),
        tickHz: r.u8(),
        mapWidth: r.u16(),
        mapHeight: r.u16(),
        aoiTile: r.u16(),
        serverTime: r.f64(),
        contentHash: r.str8(Limits.maxContentHashBytes),
        zoneName: r.str8(Limits.maxZoneNameBytes),
      };
      break;
    case ServerOp.ZONE_CHANGE:
      m = {
        op: 'zoneChange',
        entity: r.u32(),
        zoneId: r.u16(),
        tickHz: r.u8(),
        mapWidth: r.u16(),
        mapHeight: r.u16(),
        aoiTile: r.u16(),
        zoneName: r.str8(Limits.maxZoneNameBytes),
        contentHash: r.str8(Limits.maxContentHashBytes),
      };
      break;
    case ServerOp.NOTICE: {
      const code = r.u16();
      if (!knownNotices.has(code)) throw new ProtocolError(ErrorCode.BAD_VALUE, `unknown notice code ${code}`);
      m = { op: 'notice', code: code as NoticeCodeValue, message: r.str8(255) };
      break;
    }
    case ServerOp.PONG:
      m = { op: 'pong', clientTime: r.f64(), serverTime: r.f64() };
      break;
    case ServerOp.ERROR: {
      const code = r.u16();
      if (!knownErrors.has(code)) throw new ProtocolError(ErrorCode.BAD_VALUE, `unknown error code ${code}`);
      m = { op: 'error', code: code as ErrorCodeValue, message: r.str8(255) };
      break;
    }
    case ServerOp.NAMES: {
      const n = r.u8();
      if (n < 1 || n > Limits.maxNamesPerMessage) throw new ProtocolError(ErrorCode.BAD_VALUE, `NAMES of ${n} entries (1..${Limits.maxNamesPerMessage})`);
      const entries: { entity: number; name: string }[] = [];
      for (let i = 0; i < n; i++) {
        const entity = r.u32();
        if (entity === 0) throw new ProtocolError(ErrorCode.BAD_VALUE, 'NAMES names entity 0');
        const name = r.str8(Limits.maxPlayerNameBytes);
        if (name === '') throw new ProtocolError(ErrorCode.BAD_VALUE, 'NAMES gives an empty name');
        entries.push({ entity, name });
      }
      m = { op: 'names', entries };
      break;
    }
    case ServerOp.SNAPSHOT:
      return null;
    default:
      throw new ProtocolError(ErrorCode.UNKNOWN_OPCODE, `unknown server opcode ${op}`);
  }
  r.finish();
  return m;
}
