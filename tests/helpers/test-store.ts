/**
 * Which store the shared fixtures (tests/api/registers/harness.ts, tests/draws/harness.ts) open:
 * the SQLite file in the fixture's data directory by default, or with SUIJI_TEST_STORE=postgres
 * a schema of a real PostgreSQL 15 server started once for the test file (tests/helpers/postgres.ts)
 * and stopped after it. One schema per data directory, so a fixture reopened on the same
 * directory finds the same ledger.
 */
import { afterAll } from 'vitest';
import { freshSchema, startPostgres, type PgServer } from './postgres.js';

const choice = process.env.SUIJI_TEST_STORE ?? 'sqlite';
if (choice !== 'sqlite' && choice !== 'postgres') throw new Error(`SUIJI_TEST_STORE must be sqlite or postgres, not ${choice}`);

let server: Promise<PgServer> | undefined;
const schemas = new Map<string, string>();

if (choice === 'postgres') {
  afterAll(async () => {
    if (server) (await server).stop();
  });
}

/** The `store` location for a fixture on `dataDir`: undefined means SQLite in the directory. */
export async function testStoreFor(dataDir: string): Promise<string | undefined> {
  if (choice === 'sqlite') return undefined;
  server ??= startPostgres();
  let schema = schemas.get(dataDir);
  if (schema === undefined) {
    schema = freshSchema('fixture');
    schemas.set(dataDir, schema);
  }
  return (await server).url(schema);
}
