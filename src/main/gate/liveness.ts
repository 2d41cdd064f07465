import { CloseCode } from '../../protocol/errors.ts';
import type { Config } from '../config.ts';
import { Pressure, type Connection } from './connection.ts';

/** How the gate closes a connection the sweep gives up on. */
export interface LivenessActions {
  close(c: Connection, code: number, reason: string): void;
  /** Closes a client too slow to read its frames (counted). */
  kickSlow(c: Connection): void;
}

/**
 * One sweep over the connections: idle ones are closed, slow consumers that
 * stopped getting frames (so no send noticed them) are kicked, and, when a
 * heartbeat is due, a connection that did not answer the last ping is cut
 * and the others pinged.
 */
export function sweepConnections(
  connections: Iterable<Connection>,
  cfg: Pick<Config, 'idleTimeoutMs' | 'sendBufferLimitBytes' | 'slowClientKickMs'>,
  now: number,
  pingDue: boolean,
  act: LivenessActions,
): void {
  for (const c of connections) {
    // A dropped connection waiting for its resume has no socket to watch.
    if (c.phase === 'closed' || c.detached) continue;
    if (now - c.lastMessageAt > cfg.idleTimeoutMs) {
      act.close(c, CloseCode.IDLE_TIMEOUT, 'idle timeout');
    } else if (c.overSince !== 0 && c.pressure(now, cfg.sendBufferLimitBytes, cfg.slowClientKickMs) === Pressure.KICK) {
      act.kickSlow(c);
    } else if (pingDue) {
      if (c.awaitingPong) {
        c.log.info('no pong to heartbeat; terminating');
        c.ws.terminate();
      } else {
        c.awaitingPong = true;
        c.pingSentAt = now;
        c.ws.ping();
      }
    }
  }
}
