import { AuthRefusedError, ServiceUnavailableError, type World } from '../gate/world.ts';
import { UnavailableError } from '../persistence/errors.ts';
import type { Storage } from '../persistence/storage.ts';
import { AuthError, type Accounts } from './accounts.ts';

/**
 * What the gate needs, from accounts (entering with a token) and storage
 * (live states and saves), with errors in the gate's terms.
 */
export function gateWorld(accounts: Pick<Accounts, 'enterWorld'>, storage: Pick<Storage, 'updateState' | 'leaveWorld'> & Partial<Pick<Storage, 'confirmState'>>): World {
  return {
    async enterWorld(token, characterId) {
      try {
        return await accounts.enterWorld(token, characterId);
      } catch (err) {
        if (err instanceof AuthError) throw new AuthRefusedError(err.message);
        if (err instanceof UnavailableError) throw new ServiceUnavailableError(err.message);
        throw err;
      }
    },
    updateState: (id, s) => storage.updateState(id, s),
    ...(storage.confirmState ? { confirmState: (id: number, s: Parameters<Storage['confirmState']>[1]) => storage.confirmState!(id, s) } : {}),
    leaveWorld: (id, s) => storage.leaveWorld(id, s),
  };
}
