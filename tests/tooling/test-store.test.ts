import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { PostgresEventStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-store.js';
import { openHarness, people } from '../api/registers/harness.js';
import { testStoreFor } from '../helpers/test-store.js';

// Runs in both vitest projects (vitest.config.ts): a postgres project whose fixtures silently
// fell back to SQLite would pass every API suite while testing nothing on PostgreSQL.
const onPostgres = process.env.SUIJI_TEST_STORE === 'postgres';

describe(`npm test's store projects: the shared fixtures open the store their project names (${onPostgres ? 'postgres' : 'sqlite'})`, () => {
  it('issue 12: a register API fixture keeps its ledger on the project\'s store, each fixture a ledger of its own', async () => {
    const a = await openHarness();
    const b = await openHarness();
    try {
      expect(a.rt.store).toBeInstanceOf(onPostgres ? PostgresEventStore : SqliteEventStore);
      expect(b.rt.store).toBeInstanceOf(onPostgres ? PostgresEventStore : SqliteEventStore);
      const before = await b.head();
      const grown = (await a.head()).size;
      await a.issue(people.opA);
      expect((await a.head()).size).toBe(grown + 1);
      expect(await b.head()).toEqual(before);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it.runIf(onPostgres)('issue 12: the postgres project\'s fixtures share the run\'s one server (fsync off), one schema each', async () => {
    const shared = inject('suijiPostgres');
    expect(shared?.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/suiji_api$/);
    const h = await openHarness();
    const client = new pg.Client({ connectionString: shared.url });
    await client.connect();
    try {
      expect((await client.query<{ fsync: string }>('SHOW fsync')).rows[0]?.fsync).toBe('off');
      const size = (await h.head()).size;
      // The fixture's ledger is its own schema in this server's database, holding its events.
      const location = await testStoreFor(h.rt.dataDir);
      expect(location?.startsWith(`${shared.url}?schema=fixture_`)).toBe(true);
      const schema = new URL(location ?? '').searchParams.get('schema') ?? '';
      expect(Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".events`)).rows[0]?.n)).toBe(size);
      expect(size).toBeGreaterThan(0);
    } finally {
      await client.end();
      await h.close();
    }
  });
});
