import type { Connection } from '../gate/connection.ts';
import type { Gate } from '../gate/gate.ts';
import { keyOf, type BanTarget } from '../moderation/bans.ts';
import type { AnticheatHost } from './anticheat.ts';

/**
 * The anti-cheat's hands on the gate: a notice to a player, the close of a
 * player's session, and the connections a ban covers. `gate` is read when
 * called (the anti-cheat is built before the gate, start-tessera.ts);
 * `ban` stores a ban (moderation/bans.ts), none without storage.
 */
export function gateAnticheatHost(gate: () => Gate, ban?: AnticheatHost<Connection>['ban']): AnticheatHost<Connection> {
  return {
    send: (c, bytes) => gate().send(c, bytes, 'notice'),
    close: (c, code, reason) => closeSession(gate(), c, code, reason),
    covered: (target) => coveredBy(gate().connections.values(), target),
    ban,
  };
}

/**
 * Ends `c`'s session with `code`: an open connection is closed (its
 * character saved and released as on any close the server makes, so no
 * resume grace); one that dropped and waits for a resume loses its grace
 * now, its token with it, so the cheater cannot take the character back.
 * When a later login took the character over, that connection plays the
 * character now and is closed too: a kick is the character's.
 */
export function closeSession(gate: Pick<Gate, 'closeWith' | 'closeCharacter' | 'resumes'>, c: Connection, code: number, reason: string): void {
  if (c.detached) gate.resumes.end(c);
  else gate.closeWith(c, code, reason);
  if (c.characterId !== 0) gate.closeCharacter(c.characterId, code, reason);
}

/**
 * The connections still in the world (playing, joining, or waiting for a
 * resume) that a ban of `target` covers: every connection of the account
 * (its other characters, a second device), or every one from the address
 * (its /64 for IPv6), accounts included, as the handshake refuses them.
 */
export function* coveredBy(connections: Iterable<Connection>, target: BanTarget): Generator<Connection> {
  const address = 'address' in target ? keyOf(target.address) : undefined;
  for (const c of connections) {
    if (c.released || c.phase === 'closed') continue;
    if (address === undefined ? c.accountId === (target as { accountId: number }).accountId : keyOf(c.remote) === address) yield c;
  }
}
