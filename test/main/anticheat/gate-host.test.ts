/**
 * The connections an anti-cheat ban covers: every live connection of the
 * account, or of the address (an IPv6 one by its /64), and nothing
 * already gone.
 */
import { describe, expect, it } from 'vitest';
import { coveredBy } from '../../../src/main/anticheat/gate-host.ts';
import type { Connection } from '../../../src/main/gate/connection.ts';

function conn(id: number, o: Partial<Connection> = {}): Connection {
  return { id, accountId: 0, characterId: 0, remote: '203.0.113.7', phase: 'playing', released: false, detached: false, ...o } as Connection;
}

describe('coveredBy', () => {
  const live = [
    conn(1, { accountId: 5, characterId: 50 }),
    conn(2, { accountId: 5, characterId: 51, detached: true }),
    conn(3, { accountId: 5, characterId: 52, released: true }),
    conn(4, { accountId: 5, characterId: 53, phase: 'closed' }),
    conn(5, { accountId: 6, characterId: 60 }),
    conn(6, { accountId: 0, remote: '2001:db8:1:2::5' }),
    conn(7, { accountId: 8, remote: '2001:db8:1:2::9', characterId: 80 }),
    conn(8, { accountId: 0, remote: '2001:db8:9::1' }),
  ];

  it("an account's: its live connections, one waiting for a resume included", () => {
    expect([...coveredBy(live, { accountId: 5 })].map((c) => c.id)).toEqual([1, 2]);
  });

  it("an address's: every connection from its /64, accounts too", () => {
    expect([...coveredBy(live, { address: '2001:db8:1:2::abcd' })].map((c) => c.id)).toEqual([6, 7]);
  });
});
