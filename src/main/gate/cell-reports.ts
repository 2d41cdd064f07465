import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import { JoinStatus, QuestFact } from '../../shared/messages/cell-to-gate.ts';
import type { ItemMessage } from '../../shared/messages/items.ts';
import { keepCheckpoint } from './combat-checkpoint.ts';
import type { Connection } from './connection.ts';
import type { FrameSender } from './frame-sender.ts';
import type { GameParts } from './game-parts.ts';
import type { HandshakeResult } from './handshake.ts';
import type { PlayerNames } from './player-names.ts';
import type { World, WorldState } from './world.ts';
import type { ZoneChanges } from './zone-change.ts';
import type { ZoneLink, ZoneLinkHandler } from './zone-link.ts';

/** What the cells' reports act on: the gate's state and its ways of ending a handshake or a connection. */
export interface CellReportHost {
  connections: Map<number, Connection>;
  links: readonly ZoneLink[];
  world: World | null;
  names: PlayerNames;
  zoneChanges: ZoneChanges;
  frames: FrameSender;
  parts: GameParts;
  /** Forgets a connection that has no entity anywhere, saved at `at`. */
  release(c: Connection, at: WorldState | undefined): void;
  refuse(c: Connection, result: HandshakeResult, code: ErrorCodeValue, message: string): void;
  welcome(c: Connection, handle: number): void;
  /** `c` no longer plays its character: its session and resume token end. */
  gone(c: Connection): void;
}

/**
 * What the zones' cells tell the gate, drained from their outbound rings
 * by each ZoneLink. Every report names its zone: one about a player that
 * has since changed zone (drained late from another cell's ring) is not
 * acted on.
 */
export class CellReports implements ZoneLinkHandler {
  private readonly h: CellReportHost;

  constructor(host: CellReportHost) {
    this.h = host;
  }

  private playerIn(zone: number, conn: number): Connection | undefined {
    const c = this.h.connections.get(conn);
    return c && c.zone === zone ? c : undefined;
  }

  joined(zone: number, conn: number, status: number, handle: number): void {
    const c = this.playerIn(zone, conn);
    if (!c) return;
    if (c.phase === 'closed') {
      // Closed while joining: the LEAVE queued after the JOIN releases it, unless no entity was made.
      if (status !== JoinStatus.OK) this.h.release(c, c.transfer?.back ?? c.joinAt);
      return;
    }
    if (c.phase === 'playing') {
      // A JOIN re-sent around a zone restart is answered again with the same entity.
      if (handle !== c.handle) c.log.error({ handle, known: c.handle }, 'second entity for one connection');
      return;
    }
    // The JOINED of an entity that already went through a portal, drained after its PORTAL.
    if (status === JoinStatus.OK && !this.h.links[zone].zone.views.store.isValid(handle)) return;
    if (c.transfer) {
      this.h.zoneChanges.joined(c, status, handle);
      if (status === JoinStatus.OK && c.handle === handle) this.h.names.entered(c);
      // A zone change that ended playing (not a refusal) has a new entity: it learns what it wears.
      if ((c.phase as string) === 'playing' && c.handle === handle) this.h.parts.items.entered(zone, c);
      return;
    }
    if (status !== JoinStatus.OK) {
      c.released = true;
      return this.h.refuse(c, 'full', ErrorCode.SERVER_FULL, 'zone full');
    }
    this.h.welcome(c, handle);
    this.h.names.entered(c);
  }

  /** Keeps `cell` for logs; MOVED notices from different cells' rings may arrive out of order, so older ones are ignored. */
  moved(zone: number, conn: number, cell: number, tick: number): void {
    const c = this.playerIn(zone, conn);
    if (!c || tick < c.movedTick) return;
    c.movedTick = tick;
    c.cell = cell;
  }

  /**
   * The state a report of `c`'s entity gives, or undefined when it is older
   * than one taken already: its rewardSeq is below the connection's. After
   * a handoff a player's reports come through two cells' rings, drained
   * apart; one from before a reward was paid must not replace one from
   * after it. Experience and rewardSeq are read from the store together
   * and only ever taken together; rewards up to it are done (owed-rewards.ts).
   */
  private take(c: Connection, zone: number, x: number, y: number, hp: number, level: number, xp: number, rewardSeq: number): WorldState | undefined {
    if (rewardSeq < c.rewardSeq) return undefined;
    c.rewardSeq = rewardSeq;
    this.h.parts.rewards.paid(c, rewardSeq);
    return { zone: this.h.links[zone].zone.spec.name, x, y, hp, level, xp, rewardSeq };
  }

  state(zone: number, conn: number, x: number, y: number, hp: number, level: number, xp: number, rewardSeq: number): void {
    const c = this.playerIn(zone, conn);
    if (!c || c.characterId === 0 || c.transfer) return;
    const s = this.take(c, zone, x, y, hp, level, xp, rewardSeq);
    if (!s) return;
    c.lastState = s;
    this.h.world?.updateState(c.characterId, s);
  }

  /**
   * The player's experience grew: its state is made durable (a checkpoint
   * round, storage.confirmState) and then confirmed to the cell that owns it
   * now, which tells the player (workers/combat/experience.ts). A guest, or
   * a server without storage, is confirmed at once. A report older than one
   * taken is not (the cell asks again, with the newer figure).
   */
  experience(zone: number, conn: number, x: number, y: number, hp: number, level: number, xp: number, rewardSeq: number): void {
    const c = this.playerIn(zone, conn);
    if (!c || c.released || c.transfer) return;
    const s = this.take(c, zone, x, y, hp, level, xp, rewardSeq);
    if (!s) return;
    const confirm = (): void => {
      // Gone, or between zones (its new cell asks again): nobody to tell.
      if (c.released || c.transfer || c.phase !== 'playing') return;
      const link = this.h.links[c.zone];
      link.experienceDurable(link.ownerOf(c.handle), c.id, xp);
    };
    const world = this.h.world;
    if (c.characterId === 0 || !world?.confirmState) return confirm();
    c.lastState = s;
    void world.confirmState(c.characterId, s).then(confirm);
  }

  /**
   * The cell paid a stored reward (or found it paid): no longer sent again
   * (take), and the state that includes it made durable and confirmed, as
   * an EXPERIENCE is. The REWARD's row is paid again at the next entry
   * until a save or checkpoint holding this state (rewardSeq and all) lands.
   */
  rewarded(zone: number, conn: number, x: number, y: number, hp: number, level: number, xp: number, rewardSeq: number): void {
    this.experience(zone, conn, x, y, hp, level, xp, rewardSeq);
  }

  item(zone: number, m: ItemMessage): void {
    this.h.parts.items.cellItem(zone, m);
  }

  checkpoint(zone: number, conn: number, src: Buffer, start: number, end: number): void {
    const c = this.playerIn(zone, conn);
    if (c && !c.released) keepCheckpoint(c, src, start, end);
  }

  portal(zone: number, conn: number, tick: number, portal: number, x: number, y: number, hp: number, backX: number, backY: number, level: number, xp: number, carry: Uint8Array | null, rewardSeq: number): void {
    const c = this.playerIn(zone, conn);
    if (!c || c.released) return;
    this.h.names.left(c);
    c.carry = carry;
    // The entity's last word: nothing of it can be newer (its rewards' answers came before it, in the same ring).
    this.take(c, zone, x, y, hp, level, xp, rewardSeq);
    this.h.zoneChanges.portal(c, zone, tick, portal, x, y, hp, backX, backY, level, xp, rewardSeq);
  }

  questFact(zone: number, conn: number, kind: number, value: number): void {
    const c = this.playerIn(zone, conn);
    if (c) this.h.parts.fact(c, this.h.links[zone].zone.spec.name, kind, value, kind === QuestFact.KILL);
  }

  /** The cell let the player's entity go (after a LEAVE): saved where it stood, and forgotten. */
  left(zone: number, conn: number, x: number, y: number, hp: number, level: number, xp: number, rewardSeq: number): void {
    const c = this.playerIn(zone, conn);
    if (!c) return;
    c.released = true;
    this.h.connections.delete(conn);
    this.h.names.left(c);
    if (c.characterId !== 0) {
      c.lastState = this.take(c, zone, x, y, hp, level, xp, rewardSeq) ?? c.lastState;
      if (c.lastState) this.h.world?.leaveWorld(c.characterId, c.lastState);
    }
    this.h.parts.left(c);
    this.h.gone(c);
    c.log.info({ cell: c.cell, x, y }, 'player left');
  }

  frame(zone: number, conn: number, kind: number, tick: number, src: Buffer, start: number, end: number): void {
    const c = this.h.connections.get(conn);
    if (c) this.h.frames.send(c, zone, kind, tick, src, start, end);
  }
}
