import type { Connection } from '../gate/connection.ts';
import type { Gate } from '../gate/gate.ts';
import { closeSession } from '../gate/session-end.ts';
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
