import { AuthError, UnavailableError, type Persistence } from './persistence/index.ts';
import { AuthRefusedError, ServiceUnavailableError, type World } from './gate/world.ts';

/** The gate's view of persistence: same calls, errors in the gate's terms. */
export function persistenceWorld(p: Persistence): World {
  return {
    async enterWorld(token, characterId) {
      try {
        return await p.enterWorld(token, characterId);
      } catch (err) {
        if (err instanceof AuthError) throw new AuthRefusedError(err.message);
        if (err instanceof UnavailableError) throw new ServiceUnavailableError(err.message);
        throw err;
      }
    },
    updateState: (id, s) => p.updateState(id, s),
    leaveWorld: (id, s) => p.leaveWorld(id, s),
  };
}
