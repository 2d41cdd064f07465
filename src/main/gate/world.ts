/**
 * What the gate needs from accounts and persistence to put a character in
 * the world and keep its progress. The persistence module provides it; with
 * none (guest-only servers) the gate admits guests only.
 */

/** Where a character is and how it is. */
export interface WorldState {
  zone: string;
  x: number;
  y: number;
  hp: number;
  /** Level and total experience; left out for a character that has none yet (level 1, no experience). */
  level?: number;
  xp?: number;
  /**
   * The highest stored reward (migrations/007: experience owed, by seq) that
   * `xp` includes; left out: none. Always taken, kept and saved together
   * with `xp`: a reward above it is paid again at the next entry, one at or
   * below it never.
   */
  rewardSeq?: number;
}

export interface EnteredCharacter extends WorldState {
  accountId: number;
  characterId: number;
  name: string;
  /** The character's class as its account row has it (validate.ts CLASSES); the gate maps it to a content class. */
  classId: number;
}

export interface World {
  /** Validates the session and ownership, and loads the newest saved state. */
  enterWorld(token: string, characterId: number): Promise<EnteredCharacter>;
  /** Live state about once a second: write-behind saves and checkpoints. */
  updateState(characterId: number, state: WorldState): void;
  /**
   * Live state with experience the player is not told before it is durable:
   * resolves once a checkpoint holds it. Left out, it counts as durable at once.
   */
  confirmState?(characterId: number, state: WorldState): Promise<void>;
  /** The character left: saved now (queued and retried, never dropped). */
  leaveWorld(characterId: number, state: WorldState): void;
}

/** A bad or expired token, or a character that is not the account's. */
export class AuthRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthRefusedError';
  }
}

/** A service the login needs (the database) is down: try again later. */
export class ServiceUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceUnavailableError';
  }
}
