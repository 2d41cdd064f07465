import { accountPlaySuite } from './account-play.suite.ts';

// The embedded default: PGlite and in-process sessions in the server's DATA_DIR.
accountPlaySuite('embedded PGlite', async () => ({ env: {}, dispose() {} }));
