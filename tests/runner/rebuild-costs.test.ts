/**
 * Issue 13: what the rebuild's speed-ups must not change. The stats read model now holds the
 * entities of a batch and writes them at its end (flush), the basis decodes leaf hex itself, and
 * paged stores are read one page ahead. Real SQLite files throughout.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { LedgerBasis } from '../../src/projections/basis.js';
import type { Projection } from '../../src/projections/projection.js';
import { ProjectionRunner, openProjectionDb } from '../../src/projections/runner.js';
import { statsProjection } from '../../src/projections/stats/index.js';
import { expandPositions, type PositionRanges } from '../../src/domain/stats/index.js';
import { SuijiError } from '../../src/domain/errors.js';
import { openStore } from '../../src/store/index.js';
import type { EventStore, RecordedEvent } from '../../src/store/port.js';
import { newEvents, testActor } from '../helpers/events.js';
import { tempDir } from '../helpers/temp-dir.js';

/** Positions the stats read model has recorded, over all its entities. */
function statsPositions(db: Database): number[] {
  const values = db.prepare('SELECT value FROM stats_entities').pluck().all() as string[];
  return values.flatMap((v) => {
    const e = JSON.parse(v) as { added?: PositionRanges; changed?: PositionRanges; removed?: PositionRanges };
    return [...expandPositions(e.added ?? []), ...expandPositions(e.changed ?? []), ...expandPositions(e.removed ?? [])];
  }).sort((a, b) => a - b);
}

const portOnly = (s: EventStore): EventStore => ({
  append: (a, b, c) => s.append(a, b, c),
  appendMulti: (w) => s.appendMulti(w),
  readStream: (a, b) => s.readStream(a, b),
  streamRevision: (a) => s.streamRevision(a),
  readAll: (o) => s.readAll(o),
  subscribe: (f, h) => s.subscribe(f, h),
  head: () => s.head(),
  checkpoints: (o) => s.checkpoints(o),
  close: () => s.close(),
});

describe('rebuild speed-ups keep the read models exact', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: EventStore;
  beforeEach(async () => {
    dir = tempDir();
    store = await openStore({ dataDir: dir.path });
    // 2,500 register events (stats buckets of 1,000 positions), two departments.
    for (let i = 0; i < 5; i++) {
      const actor = i % 2 === 0 ? testActor : { userId: 'u-2', role: 'operator' as const, department: 'dept-b' };
      await store.append(`target-${i}`, newEvents(500, () => ({ type: 'TargetUpdated', actor, payload: { uscc: `u${i}`, changes: {} } })), 'noStream');
    }
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it('P3: a batch rolled back leaves no stats entity held for a later flush (regression guard for the batch cache)', async () => {
    const db = openProjectionDb(dir.path);
    let fail = true;
    const failsOnce: Projection = {
      name: 'fails-once', version: 1, setup: () => undefined, reset: () => undefined,
      apply(_db, e) {
        if (fail && e.position === 1500) throw new Error('fault injected at 1500');
      },
    };
    const runner = new ProjectionRunner(store, db, [statsProjection, failsOnce]);
    await expect(runner.catchUp(1000)).rejects.toThrow('fault injected');
    expect(runner.position).toBe(1000);
    // Whatever the failed page applied was rolled back with it: a flush now writes nothing new.
    db.transaction(() => statsProjection.flush!(db))();
    expect(statsPositions(db)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    fail = false;
    await runner.catchUp(1000);
    expect(statsPositions(db)).toEqual(Array.from({ length: 2500 }, (_, i) => i));
    db.close();
  });

  it('P3: the stats read model after a rebuild in big pages equals the one applied event by event', async () => {
    const live = openProjectionDb(`${dir.path}/live`);
    const oneByOne = new ProjectionRunner(store, live, [statsProjection]);
    await oneByOne.catchUp(1);
    const rebuilt = openProjectionDb(`${dir.path}/rebuilt`);
    await new ProjectionRunner(store, rebuilt, [statsProjection]).rebuild();
    const rows = (db: Database): unknown[] => db.prepare('SELECT key, kind, value FROM stats_entities ORDER BY key').raw().all();
    expect(rows(rebuilt)).toEqual(rows(live));
    expect(rows(live).length).toBeGreaterThan(2);
    live.close();
    rebuilt.close();
  });

  it('a paged store read one page ahead gives the same read model as the streamed read', async () => {
    const envelopes: Projection = {
      name: 'envelopes', version: 1,
      setup: (db) => void db.exec('CREATE TABLE IF NOT EXISTS envelopes (position INTEGER PRIMARY KEY, body TEXT)'),
      reset: (db) => void db.exec('DROP TABLE IF EXISTS envelopes'),
      apply: (db, e) => void db.prepare('INSERT INTO envelopes VALUES (?, ?)').run(e.position, JSON.stringify(e)),
    };
    const paged = openProjectionDb(`${dir.path}/paged`);
    const pagedRunner = new ProjectionRunner(portOnly(store), paged, [envelopes]);
    expect(await pagedRunner.catchUp(300)).toBe(2500);
    const streamed = openProjectionDb(`${dir.path}/streamed`);
    await new ProjectionRunner(store, streamed, [envelopes]).catchUp(300);
    const bodies = (db: Database): unknown[] => db.prepare('SELECT body FROM envelopes ORDER BY position').pluck().all();
    expect(bodies(paged)).toEqual(bodies(streamed));
    // `until` stops the read-ahead at the head the caller saw.
    const more = newEvents(700, () => ({ type: 'TargetUpdated', payload: { uscc: 'x', changes: {} } }));
    await store.append('target-x', more, 'noStream');
    expect(await pagedRunner.catchUp(300, 2800)).toBe(300);
    expect(pagedRunner.position).toBe(2800);
    paged.close();
    streamed.close();
  });

  describe('when a stored leaf hash is garbled', () => {
    const hashes = ['A'.repeat(64), 'a'.repeat(63), `${'a'.repeat(63)}g`, `${'a'.repeat(62)}é0`, ''];
    for (const hash of hashes) {
      it(`LEDGER_CORRUPT names the position (hash ${JSON.stringify(hash.slice(-3))}, length ${hash.length})`, async () => {
        const db = openProjectionDb(dir.path);
        const basis = new LedgerBasis(db);
        const [first] = await store.readAll({ limit: 1 });
        const bad = { ...first!, hash } as RecordedEvent;
        let thrown: unknown;
        try {
          basis.advance(bad);
        } catch (err) {
          thrown = err;
        }
        expect(thrown).toBeInstanceOf(SuijiError);
        expect((thrown as SuijiError).code).toBe('LEDGER_CORRUPT');
        expect((thrown as SuijiError).details).toMatchObject({ position: 0, column: 'hash' });
        // A good leaf after the refusal still lands where it should.
        basis.advance(first!);
        expect(basis.size).toBe(1);
        db.close();
      });
    }
  });

  it('the basis built over the ledger has the ledger root (leaf hex decoded into shared slabs)', async () => {
    const db = openProjectionDb(dir.path);
    const basis = new LedgerBasis(db);
    for (const e of await store.readAll()) basis.advance(e);
    expect(basis.size).toBe(2500);
    expect(basis.root).toBe((await store.head()).root);
    db.close();
  });
});
