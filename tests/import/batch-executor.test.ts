import { afterEach, describe, expect, it } from 'vitest';
import { hashFile, importTable, readCsv, storeBatchExecutor, storeExecutor, type ImportReport } from '../../src/app/registers-io/index.js';
import type { Actor } from '../../src/domain/actor.js';
import type { RecordedEvent } from '../../src/store/port.js';
import type { EventStore } from '../../src/store/port.js';
import { isBulkStreamReader } from '../../src/store/bulk-streams.js';
import { actors, makeUscc, meta } from '../domain/registers/helpers.js';
import { openHarness, type Harness } from '../projections/registers/harness.js';

const HEAD = '统一社会信用代码,主体名称,主体类型,经营规模,行业代码,所属区域,管辖部门,风险等级,信用等级,失信,经营异常,重点行业,投诉次数,状态';
const departments = [
  { departmentId: 'dept-a', name: '流通发展科' },
  { departmentId: 'dept-b', name: '市场运行科' },
];
const code = (i: number): string => makeUscc(`91370323MA3D${String(i).padStart(5, '0')}`);
const row = (i: number, over: { risk?: string; dept?: string; uscc?: string } = {}): string =>
  `${over.uscc ?? code(i)},沂源县批量测试商店${i},企业,小型,F5211,鲁村镇,${over.dept ?? 'dept-a'},${over.risk ?? 'B'},A,否,否,否,0,存续`;
const csv = (...lines: string[]): Uint8Array => new TextEncoder().encode(`${[HEAD, ...lines].join('\r\n')}\r\n`);

/** 7 rows: five valid, an L6 bad code (row 4), an L4 refusal for operator A (row 7, dept-b). */
const mixed = (): Uint8Array => {
  const bad = code(3);
  return csv(row(1), row(2), row(3, { uscc: `${bad.slice(0, 17)}${bad[17] === 'A' ? 'B' : 'A'}` }), row(4), row(5), row(6, { dept: 'dept-b' }), row(7));
};

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});
const harness = async (): Promise<Harness> => {
  const h = await openHarness();
  harnesses.push(h);
  return h;
};

async function runImport(store: EventStore, bytes: Uint8Array, batched: boolean, batchSize = 3, actor: Actor = actors.opA): Promise<ImportReport> {
  return importTable({
    kind: 'targets', table: await readCsv(bytes), fileHash: hashFile(bytes), fileName: 't.csv', actor, now: '2026-11-25T08:00:00.000Z',
    execute: storeExecutor(store),
    ...(batched ? { executeBatch: storeBatchExecutor(store), batchSize } : {}),
    departments,
  });
}

/** What the ledger says, without the append-time fields (position, time, hash) a batch changes. */
const content = (events: readonly RecordedEvent[]) =>
  events.map((e) => ({ streamId: e.streamId, revision: e.revision, eventId: e.eventId, type: e.type, payload: e.payload, actor: e.actor }))
    .sort((a, b) => a.eventId.localeCompare(b.eventId));

describe('batched import (storeBatchExecutor)', () => {
  it('L4/L6: the same report and the same events (ids, streams, payloads) as one append per row', async () => {
    const one = await harness();
    const many = await harness();
    const a = await runImport(one.store, mixed(), false);
    const b = await runImport(many.store, mixed(), true);
    expect(b).toEqual(a);
    expect(b).toMatchObject({ created: 5, rejected: 2 });
    expect(b.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [4, '统一社会信用代码', 'VALIDATION_FAILED'],
      [7, '管辖部门', 'FORBIDDEN'],
    ]);
    expect(content(await many.store.readAll())).toEqual(content(await one.store.readAll()));
    // 3 rows per batch: 5 appended rows in 2 ledger transactions, not 5.
    expect((await many.store.checkpoints()).length).toBeLessThan((await one.store.checkpoints()).length);
  });

  it('L4: a batched re-import of the same file is a no-op; a changed row yields only the change', async () => {
    const h = await harness();
    await runImport(h.store, mixed(), true);
    const before = await h.store.head();
    expect(await runImport(h.store, mixed(), true)).toMatchObject({ created: 0, updated: 0, unchanged: 5, rejected: 2 });
    expect(await h.store.head()).toEqual(before);
    const changed = await runImport(h.store, csv(row(1), row(2, { risk: 'D' }), row(4)), true);
    expect(changed).toMatchObject({ updated: 1, unchanged: 2 });
    const appended = (await h.store.readAll()).slice(before.size);
    expect(appended.map((e) => e.type)).toEqual(['TargetUpdated']);
    expect(appended[0]!.payload).toMatchObject({ uscc: code(2), changes: { riskLevel: 'D' } });
  });

  it('a concurrent write to a stream in the batch: the batch is redone row by row, nothing is lost or doubled', async () => {
    const h = await harness();
    await runImport(h.store, csv(row(1), row(2)), false);
    let raced = false;
    // Another writer changes target 2 between the batch's reads and its append.
    const racing: EventStore = Object.create(h.store, {
      appendMulti: {
        value: async (writes: Parameters<EventStore['appendMulti']>[0]) => {
          if (!raced) {
            raced = true;
            await h.run({ type: 'UpdateTarget', data: { uscc: code(2), changes: { creditLevel: 'D' }, reason: '信用评级下调' }, metadata: meta(actors.opA) });
          }
          return h.store.appendMulti(writes);
        },
      },
    });
    const r = await runImport(racing, csv(row(1, { risk: 'C' }), row(2, { risk: 'C' }), row(3)), true, 10);
    expect(raced).toBe(true);
    expect(r).toMatchObject({ created: 1, updated: 2, rejected: 0 });
    await h.runner.catchUp();
    const events = await h.store.readAll();
    const ofTarget2 = events.filter((e) => e.streamId === `target-${code(2)}`).map((e) => e.type);
    // Registered, the concurrent credit change, then the import's risk change (and its file's credit level A back).
    expect(ofTarget2).toEqual(['TargetRegistered', 'TargetUpdated', 'TargetUpdated']);
    expect(events.filter((e) => e.streamId === `target-${code(3)}`).map((e) => e.type)).toEqual(['TargetRegistered']);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
  });

  for (const batched of [false, true]) {
    it(`L4: the same file re-imported after someone else changed an entry puts the file's values back (${batched ? 'batched' : 'per row'}), not IDEMPOTENCY_CONFLICT`, async () => {
      const h = await harness();
      const file = csv(row(1), row(2), row(4));
      expect(await runImport(h.store, file, batched)).toMatchObject({ created: 3 });
      await h.run({ type: 'UpdateTarget', data: { uscc: code(2), changes: { riskLevel: 'D' }, reason: '现场检查后调整' }, metadata: meta(actors.opA) });
      const before = (await h.store.head()).size;
      const again = await runImport(h.store, file, batched);
      expect(again).toMatchObject({ updated: 1, unchanged: 2, rejected: 0, errors: [] });
      const appended = (await h.store.readAll()).slice(before);
      expect(appended.map((e) => [e.type, e.payload])).toEqual([['TargetUpdated', expect.objectContaining({ uscc: code(2), changes: { riskLevel: 'B' } })]]);
      // And once more: nothing left to change.
      expect(await runImport(h.store, file, batched)).toMatchObject({ updated: 0, unchanged: 3 });
      expect((await h.store.head()).size).toBe(before + 1);
    });
  }

  it('readStreams (one query for a batch) gives each stream exactly what readStream gives; a stream with no events is absent', async () => {
    const h = await harness();
    await runImport(h.store, csv(row(1), row(2)), true);
    await h.run({ type: 'UpdateTarget', data: { uscc: code(2), changes: { riskLevel: 'D' }, reason: '现场检查后调整' }, metadata: meta(actors.opA) });
    expect(isBulkStreamReader(h.store)).toBe(true);
    if (!isBulkStreamReader(h.store)) return;
    const ids = [`target-${code(2)}`, `target-${code(1)}`, `target-${code(9)}`, `target-${code(2)}`, 'target-"引号\'', ''.padEnd(3, '的')];
    const got = await h.store.readStreams(ids);
    expect([...got.keys()].sort()).toEqual([`target-${code(1)}`, `target-${code(2)}`].sort());
    for (const id of new Set(ids)) expect(got.get(id) ?? [], id).toEqual(await h.store.readStream(id));
    expect(got.get(`target-${code(2)}`)!.map((e) => e.type)).toEqual(['TargetRegistered', 'TargetUpdated']);
    await expect(h.store.readStreams([''])).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('regression (one SELECT per row before deciding was ~9% of a 1,000,000-row import): a batch reads its streams in one readStreams call; an adapter without it gets the same report and ledger through readStream', async () => {
    const counted = await harness();
    const plain = await harness();
    const calls = { readStream: 0, readStreams: 0 };
    const counting: EventStore = Object.create(counted.store, {
      readStream: { value: (...a: Parameters<EventStore['readStream']>) => (calls.readStream++, counted.store.readStream(...a)) },
      readStreams: { value: (ids: string[]) => (calls.readStreams++, (counted.store as unknown as { readStreams(i: string[]): unknown }).readStreams(ids)) },
    });
    const withoutBulk: EventStore = Object.create(plain.store, { readStreams: { value: undefined } });
    expect(isBulkStreamReader(withoutBulk)).toBe(false);
    const a = await runImport(counting, mixed(), true, 3);
    const b = await runImport(withoutBulk, mixed(), true, 3);
    expect(a).toEqual(b);
    expect(calls.readStream).toBe(0);
    // 5 valid rows, 3 per batch: 2 batches, 2 reads.
    expect(calls.readStreams).toBe(2);
    expect(content(await counted.store.readAll())).toEqual(content(await plain.store.readAll()));
    expect(await runImport(counting, mixed(), true, 3)).toMatchObject({ unchanged: 5, rejected: 2 });
    expect(await runImport(withoutBulk, mixed(), true, 3)).toMatchObject({ unchanged: 5, rejected: 2 });
  });
});
