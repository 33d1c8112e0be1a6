/**
 * Issue 7 §4: the store never appends past a gap. A real SQLite file, changed behind the
 * running store's back through a second connection, as a DBA with sqlite3 would.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore, verifyLedger, type SqliteEventStore } from '../../src/store/index.js';
import { isSuijiError } from '../../src/domain/errors.js';
import { tempDir } from '../helpers/temp-dir.js';
import { newEvents } from '../helpers/events.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function fresh(): { dataDir: string; store: SqliteEventStore } {
  const d = tempDir('suiji-tail-');
  cleanups.push(() => d.remove());
  const store = openSqliteStore({ dataDir: d.path });
  cleanups.push(() => store.close());
  return { dataDir: d.path, store };
}

function raw(dataDir: string): Database.Database {
  const db = new Database(join(dataDir, 'suiji.db'));
  cleanups.push(() => void db.close());
  return db;
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; reason: unknown }> {
  try {
    await p;
  } catch (err) {
    if (isSuijiError(err)) return { code: err.code, reason: err.details.reason };
    throw err;
  }
  throw new Error('append was not refused');
}

describe('issue 7 §4: no gaps, ever', () => {
  it('regression (last event row deleted by hand under a running server): the next append is refused, nothing is written', async () => {
    const { dataDir, store } = fresh();
    for (let i = 0; i < 5; i++) await store.append(`s-${i}`, newEvents(1), 'noStream');
    raw(dataDir).prepare('DELETE FROM events WHERE position = 4').run();

    expect(await refusal(store.append('s-new', newEvents(1), 'noStream'))).toEqual({ code: 'LEDGER_CORRUPT', reason: 'head-rows-mismatch' });
    expect(await refusal(store.appendMulti([{ streamId: 's-0', events: newEvents(2), expected: 'any' }]))).toMatchObject({ reason: 'head-rows-mismatch' });
    const rows = await store.readAll();
    expect(rows.map((e) => e.position)).toEqual([0, 1, 2, 3]);
    expect((await store.head()).size).toBe(5);
    expect(await store.streamRevision('s-new')).toBe(-1);
    expect(await verifyLedger(store)).toMatchObject({ ok: false, reason: 'missing-events', position: 4 });
  });

  it('regression (a fresh process opens a ledger whose last row was deleted): its first append is refused too', async () => {
    const { dataDir, store } = fresh();
    await store.append('s', newEvents(3), 'noStream');
    await store.close();
    raw(dataDir).prepare('DELETE FROM events WHERE position = 2').run();
    const again = openSqliteStore({ dataDir });
    cleanups.push(() => again.close());
    expect(await refusal(again.append('t', newEvents(1), 'noStream'))).toMatchObject({ reason: 'head-rows-mismatch' });
  });

  it('a row inserted past the head by hand (rows ahead of the head) is refused, not overwritten', async () => {
    const { dataDir, store } = fresh();
    await store.append('s', newEvents(2), 'noStream');
    raw(dataDir).prepare(`INSERT INTO events SELECT 2, 'x', 0, 'forged-id', type, schema_version, recorded_at, actor, correlation_id, causation_id, payload, hash FROM events WHERE position = 1`).run();
    expect(await refusal(store.append('t', newEvents(1), 'noStream'))).toMatchObject({ reason: 'head-rows-mismatch' });
  });

  it('regression (an old copy restored over the file under a running server): the ledger shrank, so the next append is refused', async () => {
    const { dataDir, store } = fresh();
    await store.append('s', newEvents(3), 'noStream');
    const backup = tempDir('suiji-backup-');
    cleanups.push(() => backup.remove());
    const db = raw(dataDir);
    db.pragma('wal_checkpoint(TRUNCATE)');
    copyFileSync(join(dataDir, 'suiji.db'), join(backup.path, 'suiji.db'));
    await store.append('s', newEvents(2), 2);
    // A consistent rollback: every table replaced by the backup's, in one transaction.
    db.exec(`ATTACH '${join(backup.path, 'suiji.db')}' AS old`);
    db.transaction(() => {
      for (const t of ['events', 'streams', 'ledger_head', 'checkpoints']) db.exec(`DELETE FROM main.${t}; INSERT INTO main.${t} SELECT * FROM old.${t};`);
    })();
    expect((await verifyLedger(store)).ok).toBe(true); // consistent: only a checkpoint kept elsewhere can tell
    expect(await refusal(store.append('s', newEvents(1), 'any'))).toEqual({ code: 'LEDGER_CORRUPT', reason: 'head-shrank' });
    expect((await store.head()).size).toBe(3);
  });
});
