/**
 * The rebuild fast path (bench/projection-rebuild.ts) must not change what a rebuild produces:
 * the bulk reader hands over exactly readAll's events, the streamed catch-up gives the same
 * read model as the paged one, the before/after hooks run around the replay, and the
 * projections database gets its durability settings back afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import type { Projection } from '../../src/projections/projection.js';
import { ProjectionRunner, openProjectionDb } from '../../src/projections/runner.js';
import { isBulkEventReader, openStore } from '../../src/store/index.js';
import type { EventStore, RecordedEvent } from '../../src/store/port.js';
import { newEvents, testActor } from '../helpers/events.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A real read model: every event as JSON, plus a secondary index the hooks drop and rebuild. */
function envelopesProjection(log: string[] = []): Projection {
  return {
    name: 'envelopes',
    version: 1,
    setup(db: Database) {
      db.exec(`CREATE TABLE IF NOT EXISTS envelopes (position INTEGER PRIMARY KEY, type TEXT, body TEXT);
               CREATE INDEX IF NOT EXISTS envelopes_type ON envelopes (type)`);
    },
    reset(db: Database) {
      db.exec('DROP TABLE IF EXISTS envelopes');
    },
    apply(db: Database, e: RecordedEvent) {
      db.prepare('INSERT INTO envelopes VALUES (?, ?, ?)').run(e.position, e.type, JSON.stringify(e));
    },
    beforeRebuild(db: Database) {
      log.push(`before:${count(db)}`);
      db.exec('DROP INDEX IF EXISTS envelopes_type');
    },
    afterRebuild(db: Database) {
      log.push(`after:${count(db)}`);
      this.setup(db);
    },
  };
}

const count = (db: Database): number => db.prepare('SELECT count(*) FROM envelopes').pluck().get() as number;
const bodies = (db: Database): string[] => db.prepare('SELECT body FROM envelopes ORDER BY position').pluck().all() as string[];
const indexes = (db: Database): string[] =>
  db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'envelopes' AND sql IS NOT NULL").pluck().all() as string[];

/** The same store seen only through the port (no forEachEvent): the paged path. */
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

describe('projection rebuild fast path', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: EventStore;

  beforeEach(async () => {
    dir = tempDir();
    store = await openStore({ dataDir: dir.path });
    // 2,600 events over several bulk chunks, two actors, unicode payloads.
    for (let i = 0; i < 13; i++) {
      const actor = i % 2 === 0 ? testActor : { userId: 'u-002', role: 'inspector' as const, department: 'dept-b' };
      await store.append(`s-${i}`, newEvents(200, (k) => ({ actor, payload: { i, k, text: '检查😀', nested: { b: [1, null], a: -0 } } })), 'noStream');
    }
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it('P1: forEachEvent hands over exactly the events of readAll, in order, for any from/limit', async () => {
    expect(isBulkEventReader(store)).toBe(true);
    if (!isBulkEventReader(store)) return;
    for (const [from, limit] of [[0, undefined], [0, 0], [5, 1], [999, 1002], [1500, 5000], [2599, 10], [2600, 10]] as const) {
      const seen: RecordedEvent[] = [];
      const n = store.forEachEvent(from, limit, (e) => seen.push(e));
      const expected = await store.readAll(limit === undefined ? { from } : { from, limit });
      expect(n).toBe(expected.length);
      expect(seen).toEqual(expected);
    }
  });

  it('an error thrown by the callback stops the read and propagates unchanged', () => {
    const bulk = store;
    if (!isBulkEventReader(bulk)) throw new Error('not a bulk reader');
    const boom = new Error('projection failed');
    let calls = 0;
    expect(() =>
      bulk.forEachEvent(0, undefined, () => {
        calls += 1;
        if (calls === 3) throw boom;
      }),
    ).toThrow(boom);
    expect(calls).toBe(3);
  });

  it('the streamed rebuild gives the same read model as the paged one; hooks run around the replay; indexes come back', async () => {
    const log: string[] = [];
    const fastDb = openProjectionDb(`${dir.path}/fast`);
    const fast = new ProjectionRunner(store, fastDb, [envelopesProjection(log)]);
    await fast.catchUp();
    fastDb.exec('DELETE FROM envelopes WHERE position = 7');
    expect(await fast.rebuild()).toBe(2600);
    expect(log).toEqual(['before:0', 'after:2600']);
    expect(indexes(fastDb)).toEqual(['envelopes_type']);

    const pagedDb = openProjectionDb(`${dir.path}/paged`);
    const paged = new ProjectionRunner(portOnly(store), pagedDb, [envelopesProjection()]);
    expect(await paged.rebuild()).toBe(2600);

    expect(bodies(fastDb)).toEqual(bodies(pagedDb));
    expect(bodies(fastDb).map((b) => (JSON.parse(b) as RecordedEvent).position)).toEqual(Array.from({ length: 2600 }, (_, i) => i));
    fastDb.close();
    pagedDb.close();
  });

  it('rebuild restores synchronous and cache_size, also when a projection fails mid-replay', async () => {
    const db = openProjectionDb(dir.path);
    const before = [db.pragma('synchronous', { simple: true }), db.pragma('cache_size', { simple: true })];
    const failing: Projection = {
      ...envelopesProjection(),
      apply(pdb, e) {
        if (e.position === 1234) throw new Error('bad event');
        envelopesProjection().apply(pdb, e);
      },
    };
    const runner = new ProjectionRunner(store, db, [failing]);
    await expect(runner.rebuild()).rejects.toThrow('bad event');
    expect([db.pragma('synchronous', { simple: true }), db.pragma('cache_size', { simple: true })]).toEqual(before);
    expect(indexes(db)).toEqual(['envelopes_type']); // afterRebuild ran
    expect(runner.position).toBeLessThanOrEqual(1234); // the failed page was rolled back
    expect(count(db)).toBe(runner.position);
    db.close();
  });
});
