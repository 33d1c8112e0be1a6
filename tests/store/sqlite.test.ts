import { describeEventStoreContract } from './contract/event-store-contract.js';
import { openSqliteStore } from '../../src/store/index.js';
import { tempDir } from '../helpers/temp-dir.js';

describeEventStoreContract('sqlite (real file in a temp dir)', async (options = {}) => {
  const dir = tempDir('suiji-store-');
  const store = openSqliteStore({ dataDir: dir.path, pollIntervalMs: 50, ...options });
  return {
    store,
    cleanup: async () => {
      await store.close();
      dir.remove();
    },
  };
});
