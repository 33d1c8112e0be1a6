import Database from 'better-sqlite3';
import { join } from 'node:path';
import { hexToBytes } from '@noble/hashes/utils.js';
import { openSqliteStore, type SqliteEventStore } from '../../src/store/index.js';
import { newEvents } from '../helpers/events.js';

/** A store with `n` events appended in batches of `batch` (one transaction each). */
export async function ledgerOf(dataDir: string, n: number, batch = 100, tag = 's'): Promise<SqliteEventStore> {
  const store = openSqliteStore({ dataDir });
  await appendN(store, n, batch, tag);
  return store;
}

export async function appendN(store: SqliteEventStore, n: number, batch = 100, tag = 's'): Promise<void> {
  for (let done = 0; done < n; done += batch) {
    const k = Math.min(batch, n - done);
    await store.append(`${tag}-${done}`, newEvents(k, (i) => ({ payload: { tag, i: done + i } })), 'noStream');
  }
}

/** Every stored leaf hash, read straight from the file. */
export function storedLeaves(dataDir: string): Uint8Array[] {
  const db = new Database(join(dataDir, 'suiji.db'), { readonly: true });
  try {
    return (db.prepare('SELECT hash FROM events ORDER BY position').pluck().all() as string[]).map((h) => hexToBytes(h));
  } finally {
    db.close();
  }
}

/** What a DBA with write access to the file can do. */
export function rawDb(dataDir: string): Database.Database {
  return new Database(join(dataDir, 'suiji.db'));
}
