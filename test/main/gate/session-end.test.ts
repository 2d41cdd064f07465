/**
 * A session ends whether its connection is open (closed) or dropped and
 * waiting for a resume (its grace ends, so it cannot be resumed), the
 * character's current connection with it: an anti-cheat kick or ban, an
 * operator's.
 */
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/main/gate/connection.ts';
import { closeSession } from '../../../src/main/gate/session-end.ts';
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
