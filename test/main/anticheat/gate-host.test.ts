/**
 * The anti-cheat's hands on the gate: a session ends whether its connection
 * is open (closed) or dropped and waiting for a resume (its grace ends, so
 * it cannot be resumed), the character's current connection with it; a ban
 * covers every live connection of the account, or of the address (an IPv6
 * one by its /64), and nothing already gone.
 */
import { describe, expect, it } from 'vitest';
import { closeSession, coveredBy } from '../../../src/main/anticheat/gate-host.ts';
import type { Connection } from '../../../src/main/gate/connection.ts';
import { CloseCode } from '../../../src/protocol/errors.ts';

function conn(id: number, o: Partial<Connection> = {}): Connection {
  return { id, accountId: 0, characterId: 0, remote: '203.0.113.7', phase: 'playing', released: false, detached: false, ...o } as Connection;
}

function fakeGate() {
  const calls: string[] = [];
  return {
    calls,
    gate: {
      closeWith: (c: Connection, code: number) => void calls.push(`close ${c.id} ${code}`),
      closeCharacter: (characterId: number, code: number) => void calls.push(`character ${characterId} ${code}`),
      resumes: { end: (c: Connection) => void calls.push(`end grace ${c.id}`) },
    } as unknown as Parameters<typeof closeSession>[0],
  };
}

describe('closeSession', () => {
  it('closes an open connection and the connection that plays its character now', () => {
    const f = fakeGate();
    closeSession(f.gate, conn(1, { characterId: 7 }), CloseCode.CHEATING, 'x');
    expect(f.calls).toEqual([`close 1 ${CloseCode.CHEATING}`, `character 7 ${CloseCode.CHEATING}`]);
  });

  it('ends the grace of a dropped connection (no resume), a guest has no character to look for', () => {
    const f = fakeGate();
    closeSession(f.gate, conn(2, { detached: true }), CloseCode.CHEAT_BANNED, 'x');
    expect(f.calls).toEqual(['end grace 2']);
  });
});

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
