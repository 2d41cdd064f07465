import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FILE_SCHEMAS } from '../../src/content/schema/index.ts';
import { accountClassesOf } from '../../src/main/accounts/classes.ts';
import { openAccounts, type Accounts, type AccountsOptions } from '../../src/main/accounts/accounts.ts';
import type { EnteredCharacter, WorldState } from '../../src/main/gate/world.ts';
import type { Db } from '../../src/main/persistence/db.ts';
import { openStorage, openStorageOn, type Storage, type StorageConfig, type StorageStats } from '../../src/main/persistence/storage.ts';

/** Storage and accounts options together, as main.ts gives them. */
export type AccountsStorageConfig = StorageConfig & Pick<AccountsOptions, 'timings' | 'onCharacterDeleted' | 'onSessionsRevoked' | 'classes'> & { timings?: StorageConfig['timings'] & AccountsOptions['timings'] };

/** Storage with accounts on it, composed as main.ts composes them, behind one handle for tests. */
export interface AccountsAndStorage {
  storage: Storage;
  accounts: Accounts;
  handleHttp(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  enterWorld(token: string, characterId: number): Promise<EnteredCharacter>;
  updateState(characterId: number, s: WorldState): void;
  leaveWorld(characterId: number, s: WorldState): void;
  stats(): StorageStats & ReturnType<Accounts['stats']>;
  /** Accounts first, then storage (its saves flushed), as main.ts stops them. */
  close(): Promise<void>;
}

/** The default world's classes (data/classes.json), as main.ts offers them when it runs the default content. */
export const DEFAULT_WORLD_CLASSES = accountClassesOf(FILE_SCHEMAS.classes.parse(JSON.parse(readFileSync(new URL('../../data/classes.json', import.meta.url), 'utf8'))).classes);

/** Opens storage (on `db` when given: the test keeps a handle on it) and accounts on top. */
export async function openAccountsAndStorage(cfg: AccountsStorageConfig, db?: Db): Promise<AccountsAndStorage> {
  const storage = db ? await openStorageOn(cfg, db) : await openStorage(cfg);
  const accounts = openAccounts({ storage, tuning: cfg.tuning, timings: cfg.timings, onCharacterDeleted: cfg.onCharacterDeleted, onSessionsRevoked: cfg.onSessionsRevoked, classes: cfg.classes ?? DEFAULT_WORLD_CLASSES });
  return {
    storage,
    accounts,
    handleHttp: (req, res) => accounts.handleHttp(req, res),
    enterWorld: (token, id) => accounts.enterWorld(token, id),
    updateState: (id, s) => storage.updateState(id, s),
    leaveWorld: (id, s) => storage.leaveWorld(id, s),
    stats: () => ({ ...storage.stats(), ...accounts.stats() }),
    async close() {
      await accounts.close();
      await storage.close();
    },
  };
}
