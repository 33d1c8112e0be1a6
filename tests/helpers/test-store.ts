/**
 * Which store the shared fixtures (tests/api/registers/harness.ts, tests/draws/harness.ts) open:
 * - default: the SQLite file in the fixture's data directory;
 * - ESDB_URL set (an EventStoreDB server, e.g. `esdb://127.0.0.1:2113?tls=false`): a ledger of its
 *   own on that server per data directory — the same one when a test reopens the directory (a
 *   restart) — so tests sharing the server never see each other's events;
 * - SUIJI_TEST_STORE=postgres: a schema of a real PostgreSQL 15 server, one schema per data
 *   directory. In `npm test`'s `postgres` project the server is the run's shared one, started once
 *   by tests/helpers/postgres-global.ts (fsync off, see there); when the variable is set by hand
 *   outside that project (`SUIJI_TEST_STORE=postgres npx vitest run --project sqlite tests/draws`)
 *   each test file starts its own server (tests/helpers/postgres.ts, fsync on) and stops it after.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { startPostgres } from './postgres.js';

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

/** The shared server's database URL when this file runs in the `postgres` project. */
const shared = choice === 'postgres' ? inject('suijiPostgres') : undefined;
let own: Promise<{ url(schema?: string): string; stop(): void }> | undefined;
const schemas = new Map<string, string>();
let fixtures = 0;

if (choice === 'postgres' && shared === undefined) {
  afterAll(async () => {
    if (own) (await own).stop();
  });
}

const schemaUrl = async (schema: string): Promise<string> => {
  if (shared) return `${shared.url}?schema=${schema}`;
  own ??= startPostgres();
  return (await own).url(schema);
};

/** The `store` location for a fixture on `dataDir`: undefined means SQLite in the directory. */
export async function testStoreFor(dataDir: string): Promise<string | undefined> {
  const esdb = testStoreLocation(dataDir);
  if (esdb !== undefined) return esdb;
  if (choice === 'sqlite') return undefined;
  let schema = schemas.get(dataDir);
  if (schema === undefined) {
    // Unique across the run: every file's workers share one database on the shared server.
    schema = `fixture_${RUN}_${++fixtures}`;
    schemas.set(dataDir, schema);
  }
  return schemaUrl(schema);
}
