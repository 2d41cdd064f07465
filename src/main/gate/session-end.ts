import type { Connection } from './connection.ts';
import type { Gate } from './gate.ts';

/**
 * Ends `c`'s session with `code`: an open connection is closed (its
 * character saved and released as on any close the server makes, so no
 * resume grace); one that dropped and waits for a resume loses its grace
 * now, its token with it, so a cheater or a banned player cannot take the character back.
 * When a later login took the character over, that connection plays the
 * character now and is closed too: a kick is the character's. Used by the anti-cheat (anticheat/gate-host.ts) and operators (operator.ts).
 */
export function closeSession(gate: Pick<Gate, 'closeWith' | 'closeCharacter' | 'resumes'>, c: Connection, code: number, reason: string): void {
  if (c.detached) gate.resumes.end(c);
  else gate.closeWith(c, code, reason);
  if (c.characterId !== 0) gate.closeCharacter(c.characterId, code, reason);
}
