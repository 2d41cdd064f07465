/**
 * What an operator (the admin console, main/admin/) does to live
 * connections through the gate: find a player, kick, announce, teleport.
 * Kept out of gate.ts: it uses only the gate's public surface (its
 * connections, send, closeWith and the zone links).
 */
import { encodeNotice } from '../../protocol/encode.ts';
import { CloseCode } from '../../protocol/errors.ts';
import { NoticeCode } from '../../protocol/notices.ts';
import { indexOf } from '../../shared/entity-store.ts';
import { closeSession } from './session-end.ts';
import type { ZoneHandle } from '../zones/supervisor.ts';
import type { Connection } from './connection.ts';
import type { Gate } from './gate.ts';

/** Where a playing connection's entity is now, read from its zone's shared store. */
export interface LivePosition {
  zone: number;
  x: number;
  y: number;
  level: number;
}

/** other_zone: the target zone is down. */
export type TeleportResult = 'ok' | 'not_playing' | 'off_map' | 'other_zone';

export class GateOperator {
  private readonly gate: Gate;
  private readonly zones: readonly ZoneHandle[];

  /** `zones`: the supervisor's zones, in the order they were attached to the gate. */
  constructor(gate: Gate, zones: readonly ZoneHandle[]) {
    this.gate = gate;
    this.zones = zones;
  }

  /** The live connection with this id, if it is still in the world. */
  connection(id: number): Connection | undefined {
    const c = this.gate.connections.get(id);
    return c && !c.released && c.phase !== 'closed' ? c : undefined;
  }

  /** The live connection playing a character, if any. */
  byCharacter(characterId: number): Connection | undefined {
    if (characterId === 0) return undefined;
    for (const c of this.gate.connections.values()) if (c.characterId === characterId && !c.released && c.phase !== 'closed') return c;
    return undefined;
  }

  /** Live connections whose name starts with `prefix` (case-insensitive), guests included. */
  byName(prefix: string, limit: number): Connection[] {
    const p = prefix.normalize('NFC').toLowerCase();
    const out: Connection[] = [];
    for (const c of this.gate.connections.values()) {
      if (c.released || c.phase === 'closed' || c.phase === 'handshake') continue;
      if (c.name.toLowerCase().startsWith(p)) out.push(c);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Where a playing connection's entity stands now, or undefined while it has none (joining, changing zone). */
  position(c: Connection): LivePosition | undefined {
    if (c.phase !== 'playing' || c.handle < 0) return undefined;
    const store = this.zones[c.zone]?.views.store;
    if (!store || !store.isValid(c.handle)) return undefined;
    const slot = indexOf(c.handle);
    return { zone: c.zone, x: store.f.x[slot], y: store.f.y[slot], level: store.f.level[slot] };
  }

  /** Closes a connection with `code` (KICKED, BANNED) and the reason the client shows; its character is saved as on any close. */
  /**
   * Ends `c`'s session as the anti-cheat does (session-end.ts): a
   * connection that dropped and waits for a resume loses its grace and its
   * token, and one that took the character over is closed too.
   */
  close(c: Connection, code: number, reason: string): void {
    c.log.info({ code, reason }, 'closed by an operator');
    closeSession(this.gate, c, code, reason);
  }

  kick(c: Connection, reason: string): void {
    this.close(c, CloseCode.KICKED, reason);
  }

  /** Closes every live connection an account or address ban covers; returns how many. */
  closeBanned(match: (c: Connection) => boolean, reason: string): number {
    let n = 0;
    for (const c of [...this.gate.connections.values()]) {
      if (c.released || c.phase === 'closed' || !match(c)) continue;
      this.close(c, CloseCode.BANNED, reason);
      n++;
    }
    return n;
  }

  /** Sends an ANNOUNCEMENT notice to every player of zone `zone` (an index), or everyone when undefined; returns how many got it. */
  announce(text: string, zone?: number): number {
    const bytes = encodeNotice(NoticeCode.ANNOUNCEMENT, text);
    let n = 0;
    for (const c of this.gate.connections.values()) {
      if (c.phase !== 'playing' || (zone !== undefined && c.zone !== zone)) continue;
      this.gate.send(c, bytes, 'notice');
      n++;
    }
    return n;
  }

  /**
   * Moves a playing character to (x, y) of zone `zone` (an index; its own by
   * default). Within its zone: a TELEPORT to the cell that owns its entity,
   * applied at that cell's next spawn phase (the nearest walkable spot), then
   * handed to the cell owning the point. To another zone: a DEPART, and the
   * cell's PORTAL answer takes it there as a portal would (zone-change.ts),
   * with a ZONE_CHANGE to the client, or back where it stood if refused.
   */
  teleport(c: Connection, x: number, y: number, zone = c.zone): TeleportResult {
    if (c.phase !== 'playing' || c.handle < 0 || c.transfer || c.teleportTo) return 'not_playing';
    const target = this.zones[zone];
    if (!target) return 'off_map';
    if (!Number.isFinite(x) || !Number.isFinite(y) || x < 0 || y < 0 || x >= target.spec.width || y >= target.spec.height) return 'off_map';
    const { link } = this.gate.linkOf(this.zones[c.zone]!);
    if (zone === c.zone) {
      link.teleport(link.ownerOf(c.handle), c.id, x, y);
      c.log.info({ x, y }, 'teleported by an operator');
      return 'ok';
    }
    if (target.lost) return 'other_zone';
    c.teleportTo = { zone, x, y };
    link.depart(link.ownerOf(c.handle), c.id);
    return 'ok';
  }

  /** The zone index of a zone name, or -1. */
  zoneIndex(name: string): number {
    return this.zones.findIndex((z) => z.spec.name === name);
  }

  zoneName(index: number): string {
    return this.zones[index]?.spec.name ?? '?';
  }
}
