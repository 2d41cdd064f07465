import type { AuthKind, MoveKind } from './opcodes.ts';
import type { ErrorCodeValue } from './errors.ts';

/** Decoded client-to-server messages. */
export type ClientMessage =
  | { op: 'hello'; version: number; auth: (typeof AuthKind)[keyof typeof AuthKind]; credential: string; characterId: number }
  | InputMessage
  | { op: 'ack'; ackTick: number }
  | { op: 'ping'; clientTime: number };

export interface InputMessage {
  op: 'input';
  seq: number;
  ackTick: number;
  move: (typeof MoveKind)[keyof typeof MoveKind];
  /** Direction in -127..127 per axis (DIRECTION). */
  dx: number;
  dy: number;
  /** Destination in world units (DESTINATION), quantised on the wire. */
  x: number;
  y: number;
}

/** Decoded server-to-client messages other than snapshots. */
export type ServerMessage =
  | {
      op: 'welcome';
      version: number;
      entity: number;
      zoneId: number;
      tickHz: number;
      mapWidth: number;
      mapHeight: number;
      aoiTile: number;
      serverTime: number;
    }
  | { op: 'pong'; clientTime: number; serverTime: number }
  | { op: 'error'; code: ErrorCodeValue; message: string };
