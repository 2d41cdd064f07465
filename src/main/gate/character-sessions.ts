import type { Connection } from './connection.ts';
import type { WorldState } from './world.ts';

/** How long a new connection waits for the one it takes over from to be released. */
const TAKEOVER_WAIT_MS = 3000;

/**
 * One live connection per character: which connection plays which
 * character, and the new connections waiting for the one they take over
 * from to be released (so they continue from its last state).
 */
export class CharacterSessions {
  private readonly byCharacter = new Map<number, Connection>();
  /** By the id of the connection being taken over: what to run once it is released. */
  private readonly waiting = new Map<number, () => void>();

  /** The connection playing a character, if any. */
  get(characterId: number): Connection | undefined {
    return this.byCharacter.get(characterId);
  }

  /**
   * `c` now plays its character. With no live previous connection it is
   * admitted at once; otherwise `close` closes the previous one and `c` is
   * admitted once that one is released (from its last state), or after 3 s.
   */
  takeOver(c: Connection, at: WorldState, admit: (c: Connection, at: WorldState) => void, close: (previous: Connection) => void): void {
    const previous = this.byCharacter.get(c.characterId);
    this.byCharacter.set(c.characterId, c);
    if (!previous || previous.released) return admit(c, at);
    let last = at;
    const proceed = () => {
      clearTimeout(timer);
      this.waiting.delete(previous.id);
      if (c.phase === 'entering') admit(c, last);
    };
    const timer = setTimeout(proceed, TAKEOVER_WAIT_MS);
    this.waiting.set(previous.id, () => {
      last = previous.lastState ?? at;
      proceed();
    });
    close(previous);
  }

  /** A connection is gone (released, or closed before it played): forget it, and let a connection waiting on it in. */
  released(c: Connection): void {
    if (this.byCharacter.get(c.characterId) === c) this.byCharacter.delete(c.characterId);
    this.waiting.get(c.id)?.();
  }
}
