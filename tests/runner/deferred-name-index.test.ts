/**
 * Issue 13: a rebuild leaves the name search index to be built after it, in the background
 * (Projection.background, src/projections/registers/name-index.ts). The read models are
 * complete when rebuild() resolves; searches answer the same before and after the index is done.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { targetsProjection, queryTargets } from '../../src/projections/registers/index.js';
import { nameIndexReady, NAME_INDEX_STEP } from '../../src/projections/registers/name-index.js';
import { ProjectionRunner, openProjectionDb } from '../../src/projections/runner.js';
import { openStore } from '../../src/store/index.js';
import type { EventStore } from '../../src/store/port.js';
import { makeUscc, targetRecord } from '../domain/registers/helpers.js';
import { testActor } from '../helpers/events.js';
import { tempDir } from '../helpers/temp-dir.js';

const uscc = (i: number): string => makeUscc(`91370323MA${String(i).padStart(7, '0')}`);
/** More targets than one build step takes, so the build spans several macrotasks. */
const TARGETS = NAME_INDEX_STEP + 1_500;

describe('the name index after a rebuild', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: EventStore;
  let db: Database;
  let runner: ProjectionRunner;
  beforeEach(async () => {
    dir = tempDir();
    store = await openStore({ dataDir: dir.path });
    await store.appendMulti(Array.from({ length: TARGETS }, (_, i) => ({
      streamId: `target-${uscc(i)}`,
      expected: 'noStream' as const,
      events: [{ eventId: randomUUID(), type: 'TargetRegistered', actor: testActor, correlationId: 'c', payload: targetRecord({ uscc: uscc(i), name: i % 3 === 0 ? `利民百货${i}` : `沂源五金${i}` }) }],
    })));
    db = openProjectionDb(dir.path);
    runner = new ProjectionRunner(store, db, [targetsProjection]);
    await runner.catchUp();
    await runner.settle();
  });
  afterEach(async () => {
    await runner?.stop();
    db.close();
    await store.close();
    dir.remove();
  });

  const search = (name: string) => queryTargets(db, {}, { limit: 20 }, { name });

  it('rebuild() resolves with the read models complete and the index still to build; searches meanwhile equal those after settle()', async () => {
    expect(nameIndexReady(db)).toBe(true);
    const before = ['百货99', '五金1', '利民', '百货'].map(search);
    expect(before[0]!.total).toBeGreaterThan(0);
    expect(await runner.rebuild()).toBe(TARGETS);
    expect(nameIndexReady(db)).toBe(false);
    expect(['百货99', '五金1', '利民', '百货'].map(search)).toEqual(before);
    await runner.settle();
    expect(nameIndexReady(db)).toBe(true);
    expect(['百货99', '五金1', '利民', '百货'].map(search)).toEqual(before);
  });

  it('stop() ends the build between slices; start() in a later process finishes it', async () => {
    await runner.rebuild();
    await runner?.stop();
    expect(nameIndexReady(db)).toBe(false);
    db.close();
    db = openProjectionDb(dir.path);
    runner = new ProjectionRunner(store, db, [targetsProjection]);
    await runner.start();
    await runner.settle();
    expect(nameIndexReady(db)).toBe(true);
    expect(db.prepare('SELECT count(*) FROM reg_target_names').pluck().get()).toBe(TARGETS);
  });
});
