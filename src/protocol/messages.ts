import type { ActionKindValue } from './combat-codes.ts';
import type { AuthKind, MoveKind } from './opcodes.ts';
import type { ErrorCodeValue } from './errors.ts';
import type { NoticeCodeValue } from './notices.ts';

/** Decoded client-to-server messages. */
export type ClientMessage =
  | {
      op: 'hello';
      version: number;
      auth: (typeof AuthKind)[keyof typeof AuthKind];
      credential: string;
      characterId: number;
      /** Content hash the client has ('' when it has none or does not say). */
      contentHash: string;
    }
  | InputMessage
  | { op: 'ack'; ackTick: number }
  | { op: 'ping'; clientTime: number }
  | ActionMessage;

/** Select a target, auto-attack, use a skill, respawn (combat-codes.ts ActionKind). */
export interface ActionMessage {
  op: 'action';
  /** u16, grows with each action; the server handles an action once and echoes the newest in the self record. */
  seq: number;
  kind: ActionKindValue;
  /** An entity handle (0: none, or the selected target). */
  target: number;
  /** A skill number (SKILL), or 1/0 to start/stop auto-attacking (ATTACK). */
  skill: number;
  /** A point skill's point, in world units (quantised on the wire). */
  x: number;
  y: number;
}

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
      /** The server's content hash: a client whose own differs has stale maps and data. */
      contentHash: string;
      /** The zone's name (its map), as ZONE_CHANGE names it. */
      zoneName: string;
    }
  | { op: 'pong'; clientTime: number; serverTime: number }
  | { op: 'error'; code: ErrorCodeValue; message: string }
  | ZoneChangeMessage
  | { op: 'notice'; code: NoticeCodeValue; message: string }
  | NamesMessage;

/** Names of player entities (NAMES): `entity` is a handle as snapshots name entities. */
export interface NamesMessage {
  op: 'names';
  entries: { entity: number; name: string }[];
}

/**
 * The player went through a portal: it is now `entity` in zone `zoneId`
 * (`zoneName`), whose ticks are numbered apart from the old zone's. The
 * client drops its view and acks; the next snapshot is a full one.
 */
export interface ZoneChangeMessage {
  op: 'zoneChange';
  entity: number;
  zoneId: number;
  tickHz: number;
  mapWidth: number;
  mapHeight: number;
  aoiTile: number;
  zoneName: string;
  contentHash: string;
}
