import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import type { Projection } from '../../src/projections/projection.js';
import { ProjectionRunner, openProjectionDb } from '../../src/projections/runner.js';
import { openStore } from '../../src/store/index.js';
import type { EventStore, RecordedEvent } from '../../src/store/port.js';
import { newEvents } from '../helpers/events.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A real read model (a table of positions) that also counts how often apply ran. */
function positionsProjection(version = 1): Projection & { applied: number } {
  return {
    name: 'positions',
    version,
    applied: 0,
    setup(db: Database) {
      db.exec('CREATE TABLE IF NOT EXISTS seen (position INTEGER PRIMARY KEY, type TEXT)');
    },
    reset(db: Database) {
      db.exec('DROP TABLE IF EXISTS seen');
    },
    apply(db: Database, e: RecordedEvent) {
      this.applied++;
      db.prepare('INSERT INTO seen (position, type) VALUES (?, ?)').run(e.position, e.type);
    },
  };
}

const seen = (db: Database): number[] => (db.prepare('SELECT position FROM seen ORDER BY position').all() as { position: number }[]).map((r) => r.position);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the projection runner', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: EventStore;

  beforeEach(async () => {
    dir = tempDir();
    store = await openStore({ dataDir: dir.path });
    await store.append('s-1', newEvents(10), 'noStream');
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it('catches up, then follows live appends', async () => {
    const db = openProjectionDb(dir.path);
    const p = positionsProjection();
    const runner = new ProjectionRunner(store, db, [p]);
    await runner.start();
    expect(seen(db)).toEqual(range(10));
    await store.append('s-2', newEvents(3), 'noStream');
    await until(() => seen(db).length === 13);
    expect(seen(db)).toEqual(range(13));
    expect(await runner.lag()).toBe(0);
    await runner.stop();
    db.close();
  });

  it('a restart resumes from the stored checkpoint instead of replaying from zero', async () => {
    let db = openProjectionDb(dir.path);
    const first = positionsProjection();
    await new ProjectionRunner(store, db, [first]).catchUp();
    expect(first.applied).toBe(10);
    db.close();

    await store.append('s-2', newEvents(5), 'noStream');
    db = openProjectionDb(dir.path);
    const second = positionsProjection();
    const runner = new ProjectionRunner(store, db, [second]);
    expect(await runner.lag()).toBe(5);
    await runner.catchUp();
    expect(second.applied).toBe(5);
    expect(seen(db)).toEqual(range(15));
    db.close();
  });

  it('rebuild drops the read model and replays every event', async () => {
    const db = openProjectionDb(dir.path);
    const p = positionsProjection();
    const runner = new ProjectionRunner(store, db, [p]);
    await runner.catchUp();
    db.exec('DELETE FROM seen WHERE position = 3'); // damage the read model
    expect(await runner.rebuild()).toBe(10);
    expect(p.applied).toBe(20);
    expect(seen(db)).toEqual(range(10));
    db.close();
  });

  it('a projection whose version changed is rebuilt from zero on start', async () => {
    let db = openProjectionDb(dir.path);
    await new ProjectionRunner(store, db, [positionsProjection(1)]).catchUp();
    db.close();
    db = openProjectionDb(dir.path);
    const v2 = positionsProjection(2);
    const runner = new ProjectionRunner(store, db, [v2]);
    expect(runner.position).toBe(0);
    await runner.catchUp();
    expect(v2.applied).toBe(10);
    expect(seen(db)).toEqual(range(10));
    db.close();
  });
});
