/**
 * vitest globalSetup of the `postgres` project (vitest.config.ts): ONE PostgreSQL 15 server for
 * the whole run instead of one per test file, handed to the workers with provide/inject; every
 * fixture then opens its own schema in it (tests/helpers/test-store.ts). vitest calls this only
 * when the project has files to run, so a SQLite-only run never starts a server.
 *
 * The server runs with fsync, synchronous_commit and full_page_writes off: it serves the
 * register, draw and workflow API suites, which test behaviour, not durability, and its data is
 * deleted at the end. Durability is tested on servers with fsync=on: the store's contract and
 * adapter tests (tests/store/postgres*.test.ts), tests/multi and tests/reliability start their
 * own (tests/helpers/postgres.ts, default `durable: true`).
 */
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres.js';

export interface SharedPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/DATABASE` without a schema. */
  readonly url: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    suijiPostgres: SharedPostgres;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const server = await startPostgres('suiji_api', { durable: false, maxConnections: 500 });
  project.provide('suijiPostgres', { url: server.url() });
  return () => server.stop();
}
