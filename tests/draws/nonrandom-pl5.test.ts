/**
 * G2 against PL5 on the real draw stack (SQLite ledger, projections, draw service): an
 * inspection that is not random leaves every yearly count as it was and never reaches the
 * lottery. Counts are read both from the PL5 count streams (what the cap is enforced on) and
 * from the draws read model.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drawCountStreamId } from '../../src/domain/draws/index.js';
import { NonRandomInspectionService } from '../../src/app/nonrandom-inspections/index.js';
import { drawCountsOf, listDraws } from '../../src/projections/draws/index.js';
import { listNonRandomInspections } from '../../src/projections/nonrandom-inspections/index.js';
import { DEADLINE, NOW, SECRETS, actors, makeUscc, meta, openHarness, rejected, seedItems, seedTargets, target, withTask, witnessPlan, write, type Harness } from './harness.js';

const A = makeUscc(1);
const B = makeUscc(2);

const request = (task: string) => ({
  task,
  item: 'ITEM-G100',
  classes: [{ name: 'all', filter: {}, quota: { ratio: { numerator: 1, denominator: 1 } } }],
  entropy: witnessPlan(),
  revealDeadline: DEADLINE,
});

const complaint = (inspectionId: string, targets: string[]) => ({
  inspectionId,
  kind: 'complaintOrReport' as const,
  department: 'dept-a',
  sourceDocument: { number: `12315-${inspectionId}`, issuingBody: '全国12315平台', date: '2026-03-01' },
  targets,
  items: ['加油机计量准确性'],
  reason: '消费者投诉加油量不足',
});

describe('G2 and PL5: a non-random inspection is not a draw', () => {
  let h: Harness;
  let inspections: NonRandomInspectionService;
  beforeEach(async () => {
    h = await openHarness();
    inspections = new NonRandomInspectionService({ store: h.store, projections: h.projections });
    // G3: the recording department must be registered (the draws harness seeds no organisation).
    await write(h.store, 'department-dept-a', 'DepartmentRegistered', { departmentId: 'dept-a', name: '市场科', kind: 'bureau', parentDepartment: null, regionCode: '370323', neighbouringRegions: [] });
    await seedItems(h.store);
    await seedTargets(h.store, [target(1), target(2)]);
  });
  afterEach(async () => h.close());

  const drawAll = async (task: string): Promise<string> => {
    const req = await withTask(h, request(task));
    const drawId = await h.service.commitTargets(meta(), req);
    await h.service.revealWitness(meta(), drawId, { witness: 'w1', secret: SECRETS.w1 });
    await h.service.revealWitness(meta(), drawId, { witness: 'w2', secret: SECRETS.w2 });
    await h.service.complete(meta(), drawId);
    // PL5 counts at the task's lock (issue 9), so the comparison goes through it.
    await h.tasks.lock(meta(actors.principalA), req.task, drawId);
    return drawId;
  };
  /** The PL5 count stream: what the cap is enforced on (revision + 1 = draws counted). */
  const count = async (uscc: string) => (await h.store.streamRevision(drawCountStreamId(uscc, 2026))) + 1;
  const counts = async () => {
    await h.projections.catchUp();
    return { streams: [await count(A), await count(B)], readModel: drawCountsOf(h.projections.db, [A, B], 2026) };
  };

  it('G2: a complaint inspection leaves PL5 counts unchanged', async () => {
    await drawAll('T1');
    const before = await counts();
    expect(before.streams).toEqual([1, 1]);

    await inspections.record(meta(actors.opA), complaint('NR-1', [A, B]));
    await inspections.record(meta(actors.principalA), { ...complaint('NR-2', [A]), kind: 'bigDataAlert' });
    expect(await counts()).toEqual(before);

    // The cap still has room for exactly one more random draw of each: the complaints took none of it.
    await drawAll('T2');
    expect((await counts()).streams).toEqual([2, 2]);
    await seedTargets(h.store, [target(3)]); // a newcomer, so the third pool is not empty
    const third = await h.service.commitTargets(meta(), await withTask(h, request('T3')));
    const pool = ((await h.service.get(third)).commitment as { classes: { pool: { size: number; exclusions: { id: string }[] } }[] }).classes[0]!.pool;
    expect(pool.exclusions.map((x) => x.id)).toEqual([A, B]);
    expect(pool.size).toBe(1);
  });

  it('G2: a non-random inspection never goes through the lottery — one event in its own stream, no draw, no count stream', async () => {
    const before = (await h.store.head()).size;
    const written = await inspections.record(meta(actors.opA), complaint('NR-1', [A, B]));
    const appended = (await h.store.readAll()).slice(before);
    expect(appended.map((e) => [e.type, e.streamId])).toEqual([['NonRandomInspectionRecorded', 'nonRandomInspection-NR-1']]);
    expect(written).toMatchObject({ streamId: 'nonRandomInspection-NR-1', replayed: false });
    expect(await h.store.streamRevision(drawCountStreamId(A, 2026))).toBe(-1);
    await h.projections.catchUp();
    // The draws list stays random-only; the new list carries the kind.
    expect(listDraws(h.projections.db, {}, NOW)).toEqual([]);
    expect(listNonRandomInspections(h.projections.db, { limit: 10 }).map((v) => [v.inspectionId, v.kind, v.random])).toEqual([['NR-1', 'complaintOrReport', false]]);
  });

  it('G2: a refused record (an unregistered target) writes nothing', async () => {
    const before = await h.store.head();
    const e = await rejected(inspections.record(meta(actors.opA), complaint('NR-9', [A, makeUscc(99)])));
    expect(e.details).toMatchObject({ rule: 'G2', reason: 'TARGET_NOT_REGISTERED', targets: [makeUscc(99)] });
    expect(await h.store.head()).toEqual(before);
  });

  it('G2/L4: an operator of another department cannot record for dept-a, and nothing is written', async () => {
    const before = await h.store.head();
    const e = await rejected(inspections.record(meta(actors.opB), complaint('NR-9', [A])));
    expect(e.code).toBe('FORBIDDEN');
    expect(await h.store.head()).toEqual(before);
  });
});
