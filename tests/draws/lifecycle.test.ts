import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SuijiError } from '../../src/domain/errors.js';
import { getDrawRow, listDraws } from '../../src/projections/draws/index.js';
import { verifyDrawRecord as verifyRecord } from '../../src/verify/index.js';
import { AFTER, DEADLINE, SECRETS, actors, generalAllItem, generalItem, keyItem, meta, seedTargets, target, withTask, witnessPlan, type Harness, rejected, openSeededHarness, write } from './harness.js';

const request = (over: Record<string, unknown> = {}) => ({
  task: 'T2026-001',
  item: 'ITEM-G1',
  classes: [{ name: 'all', filter: { region: ['南麻街道'] }, quota: { ratio: { numerator: 1, denominator: 2 } } }],
  entropy: witnessPlan(),
  revealDeadline: DEADLINE,
  ...over,
});

describe('draw lifecycle on a real SQLite ledger', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openSeededHarness(10);
  });
  afterEach(async () => h.close());

  /** T3 (issue 9): the request on a real ad-hoc task holding its item and classes; `label` names the task within the test. */
  const draw = (over: Record<string, unknown> = {}, label = 'T2026-001') => withTask(h, request({ task: label, ...over }));

  const revealBoth = async (drawId: string) => {
    await h.service.revealWitness(meta(), drawId, { witness: 'w1', secret: SECRETS.w1 });
    await h.service.revealWitness(meta(), drawId, { witness: 'w2', secret: SECRETS.w2 });
  };

  it('V1, V2, V4: commit, reveal, complete, export; the export verifies and replays to the stored result', async () => {
    const req = await draw();
    const drawId = await h.service.commitTargets(meta(), req);
    expect(drawId).toBe(`${req.task}.targets.1`);
    const view = await h.service.get(drawId);
    expect(view.status).toBe('committed');
    // V2: pool, parameters, algorithm and entropy are fixed in the commitment, with the ledger position and filter.
    const c = view.commitment as { algorithm: string; source: { ledgerPosition: string; filter: { item: string } }; classes: { pool: { size: number } }[] };
    expect(c.algorithm).toBe('suiji-draw/1');
    expect(c.classes[0]!.pool.size).toBe(10);
    expect(Number(c.source.ledgerPosition)).toBeGreaterThan(0);
    expect(c.source.filter.item).toBe('ITEM-G1');
    await revealBoth(drawId);
    const record = await h.service.complete(meta(), drawId);
    expect('merged' in record.result && record.result.merged).toHaveLength(5);
    const exported = await h.service.exportRecord(drawId);
    expect(exported).toEqual(record);
    expect(verifyRecord(JSON.parse(JSON.stringify(exported)))).toEqual({ ok: true });
    expect(await h.service.verifyStored(drawId)).toMatchObject({ ok: true, verdict: 'ledger', consistent: true });
    await h.projections.catchUp();
    expect(getDrawRow(h.projections.db, drawId)).toMatchObject({ status: 'completed', poolSize: 10 });
  });

  it('a reveal reads its slot stream once (the idempotency check shares the read); its retry with the same command id writes nothing', async () => {
    const drawId = await h.service.commitTargets(meta(), await draw());
    await h.service.revealWitness(meta(), drawId, { witness: 'w1', secret: SECRETS.w1 });
    const reads = vi.spyOn(h.store, 'readStream');
    const slotReads = (): number => reads.mock.calls.filter(([id]) => id === `draw-${drawId.replace(/\.\d+$/, '')}`).length;
    const last = meta();
    await h.service.revealWitness(last, drawId, { witness: 'w2', secret: SECRETS.w2 });
    expect(slotReads()).toBe(1);
    expect((await h.service.get(drawId)).status).toBe('completed');
    const size = (await h.store.head()).size;
    reads.mockClear();
    await h.service.revealWitness(last, drawId, { witness: 'w2', secret: SECRETS.w2 });
    expect(slotReads()).toBe(1);
    expect((await h.store.head()).size).toBe(size);
    // complete with the command id that completed it answers the record and writes nothing.
    await expect(h.service.complete(last, drawId)).resolves.toEqual(await h.service.exportRecord(drawId));
    expect((await h.store.head()).size).toBe(size);
  });

  it('V4: a tampered export fails verification and names the first difference', async () => {
    const drawId = await h.service.commitTargets(meta(), await draw());
    await revealBoth(drawId);
    await h.service.complete(meta(), drawId);
    const exported = JSON.parse(JSON.stringify(await h.service.exportRecord(drawId))) as {
      pools: Record<string, string[]>;
      commitment: { task: string; classes: { pool: { hash: string } }[] };
      result: { merged: string[]; classes: { picked: string[] }[] };
    };
    const members = exported.pools[exported.commitment.classes[0]!.pool.hash]!;
    const outsider = members.find((m) => !exported.result.merged.includes(m))!;
    const swapped = structuredClone(exported);
    swapped.result.classes[0]!.picked[0] = outsider;
    expect(verifyRecord(swapped)).toMatchObject({ ok: false, code: 'RESULT_MISMATCH', path: 'result.classes[0].picked[0]', actual: outsider });
    const retasked = structuredClone(exported);
    retasked.commitment.task = 'T-other';
    expect(verifyRecord(retasked)).toMatchObject({ ok: false, code: 'COMMITMENT_HASH_MISMATCH' });
    const shrunk = structuredClone(exported);
    shrunk.pools[exported.commitment.classes[0]!.pool.hash] = members.slice(1);
    expect(verifyRecord(shrunk)).toMatchObject({ ok: false, code: 'POOL_HASH_MISMATCH' });
  });

  it('V3: a second open commitment for the same task and purpose is refused', async () => {
    const req = await draw();
    const first = await h.service.commitTargets(meta(), req);
    const e = await rejected(h.service.commitTargets(meta(), req));
    expect(e.code).toBe('RULE_VIOLATION');
    expect(e.details).toMatchObject({ rule: 'V3', reason: 'DRAW_ALREADY_OPEN', openDrawId: first });
  });

  it('V3: a witness secret that does not match its commitment is refused and nothing is written', async () => {
    const drawId = await h.service.commitTargets(meta(), await draw());
    const before = await h.store.head();
    const e = await rejected(h.service.revealWitness(meta(), drawId, { witness: 'w1', secret: 'a guess' }));
    expect(e.code).toBe('RULE_VIOLATION');
    expect(e.details).toMatchObject({ rule: 'V3', lotteryCode: 'WITNESS_REVEAL_MISMATCH', field: '/secret' });
    expect(await h.store.head()).toEqual(before);
  });

  it('V3: completion waits for the planned entropy; a draw with missing witnesses after the deadline must be abandoned', async () => {
    const drawId = await h.service.commitTargets(meta(), await draw());
    await h.service.revealWitness(meta(), drawId, { witness: 'w1', secret: SECRETS.w1 });
    expect((await rejected(h.service.complete(meta(), drawId))).details).toMatchObject({ rule: 'V3', reason: 'AWAITING_WITNESSES' });
    expect((await rejected(h.service.complete(meta(actors.opA, AFTER), drawId))).details).toMatchObject({ rule: 'V3', reason: 'MUST_ABANDON' });
    // A reveal after the deadline is refused: it would let a late witness choose the outcome.
    expect((await rejected(h.service.revealWitness(meta(actors.opA, AFTER), drawId, { witness: 'w2', secret: SECRETS.w2 }))).details).toMatchObject({ reason: 'REVEAL_TOO_LATE' });
  });

  it("V3: with onMissing 'proceed', a missing witness after the deadline is recorded as null and the draw completes", async () => {
    const drawId = await h.service.commitTargets(meta(), await draw({ entropy: witnessPlan('proceed', 1) }));
    await h.service.revealWitness(meta(), drawId, { witness: 'w2', secret: SECRETS.w2 });
    const record = await h.service.complete(meta(actors.opA, AFTER), drawId);
    expect(record.revealed?.witnesses).toEqual([{ id: 'w1', secret: null }, { id: 'w2', secret: SECRETS.w2 }]);
    expect(verifyRecord(JSON.parse(JSON.stringify(record)))).toEqual({ ok: true });
  });

  it('V3: abandoning is a public event and frees the slot; a completed draw cannot be redrawn', async () => {
    const req = await draw();
    const first = await h.service.commitTargets(meta(), req);
    await h.service.abandon(meta(), first, { reason: '见证人未到场 / witness absent' });
    await h.projections.catchUp();
    expect(getDrawRow(h.projections.db, first)).toMatchObject({ status: 'abandoned', abandonReason: '见证人未到场 / witness absent' });
    expect((await h.service.get(first)).status).toBe('abandoned');
    const second = await h.service.commitTargets(meta(), req);
    expect(second).toBe(`${req.task}.targets.2`);
    expect(listDraws(h.projections.db, { task: req.task }).map((d) => d.drawId)).toContain(first);
    await revealBoth(second);
    await h.service.complete(meta(), second);
    expect((await rejected(h.service.abandon(meta(), second, { reason: 'too late' }))).details).toMatchObject({ reason: 'DRAW_NOT_OPEN' });
    expect((await rejected(h.service.commitTargets(meta(), req))).details).toMatchObject({ rule: 'V3', reason: 'DRAW_ALREADY_COMPLETED' });
  });

  it('G3: another department cannot abandon a draw; an auditor cannot reveal into it', async () => {
    const drawId = await h.service.commitTargets(meta(), await draw());
    expect((await rejected(h.service.abandon(meta(actors.opB), drawId, { reason: 'x' }))).details).toMatchObject({ rule: 'G3' });
    expect((await rejected(h.service.revealWitness(meta(actors.auditor), drawId, { witness: 'w1', secret: SECRETS.w1 }))).code).toBe('FORBIDDEN');
  });

  it('L2: a general item above its ratio cap is refused at commit (the cap in force then); a key item may draw a batch order', async () => {
    // Issue 9: the task service already refuses a task whose classes exceed the item's cap...
    const over = request({ task: 'T-RATIO', classes: [{ name: 'all', filter: {}, quota: { ratio: { numerator: 6, denominator: 10 } } }] });
    expect((await rejected(withTask(h, over))).details).toMatchObject({ rule: 'L2' });
    // ...so the draw's own check guards a cap lowered after the task was created (50 % → 40 %): 1/2 and 5 of 10 are now above it.
    const ratio = await draw();
    const count = await draw({ classes: [{ name: 'all', filter: {}, quota: { count: 5 } }] }, 'T-COUNT');
    const batchOnGeneral = await draw({ batchOrder: true }, 'T-BATCH-G');
    await write(h.store, 'itemList-dept-a', 'ItemListVersionPublished', {
      departmentId: 'dept-a', version: 2, items: [{ ...generalItem, maxRatioBp: 4000 }, keyItem, generalAllItem], changes: { added: [], changed: ['ITEM-G1'], removed: [] }, reason: '下调比例 / lower cap',
    });
    const before = await h.store.head();
    const e = await rejected(h.service.commitTargets(meta(), ratio));
    expect(e.details).toMatchObject({ rule: 'L2', field: '/classes/0/quota' });
    expect((await rejected(h.service.commitTargets(meta(), count))).details).toMatchObject({ rule: 'L2' });
    expect((await rejected(h.service.commitTargets(meta(), batchOnGeneral))).details).toMatchObject({ rule: 'L2' });
    expect(await h.store.head()).toEqual(before);
    const batchReq = await draw({ item: 'ITEM-K1', batchOrder: true, classes: [{ name: 'all', filter: {} }] }, 'T-BATCH-K');
    const batch = await h.service.commitTargets(meta(), batchReq);
    expect(batch).toBe(`${batchReq.task}.batchOrder.1`);
    await revealBoth(batch);
    const record = await h.service.complete(meta(), batch);
    expect('merged' in record.result && record.result.merged).toHaveLength(10);
  });

  it('G2: only an item on the department\'s current list may be drawn for', async () => {
    // The task names ITEM-G1 (the task service checks it then); the list in force at the draw's commit no longer does.
    const req = await draw();
    await write(h.store, 'itemList-dept-a', 'ItemListVersionPublished', {
      departmentId: 'dept-a', version: 2, items: [keyItem, generalAllItem], changes: { added: [], changed: [], removed: ['ITEM-G1'] }, reason: '撤下 / withdrawn',
    });
    const before = await h.store.head();
    expect((await rejected(h.service.commitTargets(meta(), req))).details).toMatchObject({ rule: 'G2', field: '/item' });
    expect(await h.store.head()).toEqual(before);
  });

  it('V2: a drand round that is not far enough in the future is refused at commit', async () => {
    const entropy = { drand: { chainHash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971', round: 1000 } };
    expect((await rejected(h.service.commitTargets(meta(), await draw({ entropy })))).details).toMatchObject({ rule: 'V2' });
  });

  it('T3: a directional draw holds several classes with their own quotas, drawn class by class and merged in class order', async () => {
    // Six, not four: a general item's class pool below the minimum random pool (5) is refused (G2/A4).
    await seedTargets(h.store, Array.from({ length: 6 }, (_, i) => target(100 + i, { scale: 'medium' })));
    const drawId = await h.service.commitTargets(meta(), await draw({
      classes: [
        { name: 'small', filter: { scale: ['small'] }, quota: { count: 2 } },
        { name: 'medium', filter: { scale: ['medium'] }, quota: { ratio: { numerator: 1, denominator: 2 } } },
      ],
    }, 'T-DIRECTIONAL'));
    await revealBoth(drawId);
    const r = await h.service.complete(meta(), drawId);
    if (!('classes' in r.result)) throw new Error('class result expected');
    expect(r.result.classes.map((c) => [c.name, c.selected.length])).toEqual([['small', 2], ['medium', 3]]);
    expect(r.result.merged).toEqual([...r.result.classes[0]!.selected, ...r.result.classes[1]!.selected]);
  });
});
