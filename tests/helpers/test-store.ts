/**
 * Which store the shared fixtures (tests/api/registers/harness.ts, tests/draws/harness.ts) open:
 * - default: the SQLite file in the fixture's data directory;
 * - ESDB_URL set (an EventStoreDB server, e.g. `esdb://127.0.0.1:2113?tls=false`): a ledger of its
 *   own on that server per data directory — the same one when a test reopens the directory (a
 *   restart) — so tests sharing the server never see each other's events;
 * - SUIJI_TEST_STORE=postgres: a schema of a real PostgreSQL 15 server started once for the test
 *   file (tests/helpers/postgres.ts) and stopped after it; one schema per data directory.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll } from 'vitest';
import { freshSchema, startPostgres, type PgServer } from './postgres.js';

export const ESDB_URL = process.env.ESDB_URL ?? '';
export const ESDB_SKIP = 'EventStoreDB: skipped — ESDB_URL not set; no EventStoreDB server can run on this machine';

const RUN = randomUUID().slice(0, 8);

/** `ESDB_URL` with `ledger=NAME` added. */
export const esdbLocation = (ledger: string): string => `${ESDB_URL}${ESDB_URL.includes('?') ? '&' : '?'}ledger=${ledger}`;

/** A fresh ledger name on the shared server (lowercase, ≤ 40 characters). */
export const freshEsdbLedger = (): string => `t${RUN}-${randomUUID().slice(0, 12)}`;

/** The EventStoreDB location for `dataDir` when ESDB_URL is set, else undefined. */
export function testStoreLocation(dataDir: string): string | undefined {
  if (!ESDB_URL) return undefined;
  return esdbLocation(`t${RUN}-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`);
}

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
  const esdb = testStoreLocation(dataDir);
  if (esdb !== undefined) return esdb;
  if (choice === 'sqlite') return undefined;
  server ??= startPostgres();
  let schema = schemas.get(dataDir);
  if (schema === undefined) {
    schema = freshSchema('fixture');
    schemas.set(dataDir, schema);
  }
  return (await server).url(schema);
}
