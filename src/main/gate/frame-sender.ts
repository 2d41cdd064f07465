import type { Config } from '../config.ts';
import type { GateMetrics } from '../metrics/gate-metrics.ts';
import { FrameKind } from '../../shared/messages/cell-to-gate.ts';
import type { GateChat } from './chat-hook.ts';
import { Pressure, type Connection } from './connection.ts';
import type { PlayerNames } from './player-names.ts';
import { holdsBackSnapshot } from './resume.ts';
import { FrameScratch } from './frame-scratch.ts';
import { FrameSent, framedBytes, MAX_HEADER_BYTES, sendBinaryFrame } from './ws-frame.ts';

const SNAPSHOT_TYPE = 'snapshot';
const EVENT_TYPE = 'event';
const NAMES_TYPE = 'names';

/** What sending a frame needs of the gate. */
export interface FrameSenderHost {
  cfg: Config;
  metrics: GateMetrics;
  names: PlayerNames;
  chat(): GateChat;
  kickSlow(c: Connection): void;
}

/**
 * A cell's encoded frame out to its client: snapshots of another zone or
 * tick already passed are dropped, a resumed client waits for its full
 * snapshot, a slow client's snapshots are skipped (or it is kicked), the
 * names of players entering view go first, and the gate's chat lines are
 * added to a snapshot as it is copied out. Events always go. Each frame
 * leaves in one socket write (ws-frame.ts), with the NAMES messages that go
 * before it, copied into bytes reused from frame to frame
 * (frame-scratch.ts).
 */
export class FrameSender {
  /** Snapshots not sent because a newer tick had already gone to that client. */
  stale = 0;
  private readonly scratch = new FrameScratch();
  private readonly h: FrameSenderHost;
  private readonly take = (n: number): Buffer => this.scratch.take(n);

  constructor(h: FrameSenderHost) {
    this.h = h;
  }

  send(c: Connection, zone: number, kind: number, tick: number, src: Buffer, start: number, end: number): void {
    const h = this.h;
    if (c.phase !== 'playing') return;
    const snapshot = kind === FrameKind.SNAPSHOT;
    if (!snapshot) {
      if (zone !== c.zone) return;
    } else if (holdsBackSnapshot(c, src, start)) {
      h.metrics.dropped('resume_delta');
      return;
    } else if (!c.admitSnapshot(zone, tick)) {
      this.stale++;
      h.metrics.dropped('stale_snapshot');
      return;
    }
    const pressure = c.pressure(Date.now(), h.cfg.sendBufferLimitBytes, h.cfg.slowClientKickMs);
    if (pressure === Pressure.KICK) return h.kickSlow(c);
    if (pressure === Pressure.OVER && snapshot) {
      h.metrics.backpressureSkip();
      return;
    }
    const names = snapshot ? h.names.namesFor(c, zone, src, start, end) : null;
    // The copy leaves room in front for the names' frames and the frame header: all go in one socket write.
    const headroom = (names === null ? 0 : framedBytes(names)) + MAX_HEADER_BYTES;
    const buf = h.chat().frame(c, snapshot, src, start, end, headroom, this.take);
    if (sendBinaryFrame(c.ws, buf, headroom, names) !== FrameSent.WRITTEN) this.scratch.keptBySocket(buf);
    if (names !== null) {
      for (const m of names) {
        c.bytesOut += m.length;
        h.metrics.messageOut(NAMES_TYPE, m.length);
      }
    }
    const size = buf.length - headroom;
    c.bytesOut += size;
    h.metrics.messageOut(snapshot ? SNAPSHOT_TYPE : EVENT_TYPE, size);
  }
}
