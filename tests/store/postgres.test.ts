import { describeEventStoreContract } from './contract/event-store-contract.js';
import { openPostgresStore, parsePostgresUrl } from '../../src/store/postgres/index.js';
import { freshSchema, usePostgres } from '../helpers/postgres.js';

const server = usePostgres();

describeEventStoreContract('postgres 15 (real server, a schema per test)', async (options = {}) => {
  const schema = freshSchema();
  const { connectionString } = parsePostgresUrl(server().url());
  const store = await openPostgresStore({ connectionString, schema, pollIntervalMs: 50, ...options });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await server().sql(`DROP SCHEMA ${schema} CASCADE`);
    },
  };
});
