/**
 * Issue 7 §2: a record rebuilt with another ceremony value (same commitment hash, other picks)
 * replays perfectly; the verdict must say whether it is the record THIS ledger holds.
 * Real SQLite ledger, real HTTP (fastify inject), the real CLI command.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { runProgram } from '../../src/cli/program.js';
import { completeDraw, verifyDrawRecord, type DrawRecord, type RevealedEntropy } from '../../src/verify/index.js';
import { drawSlotStreamId } from '../../src/domain/draws/index.js';
import { taskStreamId } from '../../src/domain/tasks/index.js';
import { DEADLINE, NOW, SECRETS, actors, generalAllItem, makeUscc, meta, openHarness, rejected, seedItems, seedTargets, target, withTask, witnessPlan, write, type Harness, openSeededHarness } from './harness.js';

const ceremony = { label: '现场摇号机 / public lottery machine', alphabet: '0123456789', length: 6 };
const request = (task: string, over: Record<string, unknown> = {}) => ({
  task,
  item: 'ITEM-G1',
  classes: [{ name: 'all', filter: {}, quota: { count: 3 } }],
  entropy: { ...witnessPlan(), ceremony },
  revealDeadline: DEADLINE,
  ...over,
});
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('issue 7 §2: verdicts — the ledger\'s record, a foreign one, an inconsistent one', () => {
  let h: Harness;
  let app: FastifyInstance;
  const lines: string[] = [];
  const cli = (argv: string[]) => runProgram(argv, { out: (l) => void lines.push(l), write: (t) => void lines.push(t), err: () => undefined, openDraw: async () => ({ store: h.store, projections: h.projections, close: async () => {} }) });

  beforeEach(async () => {
    lines.length = 0;
    h = await openSeededHarness(12);
    app = await buildApp({ store: h.store, projections: h.projections }, { draws: { clock: () => new Date(NOW) } });
  });
  afterEach(async () => {
    await app.close();
    await h.close();
  });

  /** T3 (issue 9): the draw serves a real ad-hoc task of `harness`'s ledger. */
  const drawn = async (task: string, harness = h): Promise<DrawRecord> => {
    const service = harness.service;
    const drawId = await service.commitTargets(meta(), await withTask(harness, request(task)));
    await service.recordCeremony(meta(), drawId, { value: '402917' });
    await service.revealWitness(meta(), drawId, { witness: 'w1', secret: SECRETS.w1 });
    await service.revealWitness(meta(), drawId, { witness: 'w2', secret: SECRETS.w2 });
    return plain(await service.exportRecord(drawId));
  };
  const verify = async (record: unknown) => (await app.inject({ method: 'POST', url: '/verify', payload: record as object })).json<Record<string, unknown>>();

  it('issue 7 §2 regression (forged record verifies): a real record rebuilt with another ceremony value replays, but is foreign to this ledger', async () => {
    const real = await drawn('T-V1');
    const revealed: RevealedEntropy = { ...real.revealed!, ceremony: { value: '999999' } };
    const forged = plain(completeDraw({ commitment: real.commitment, commitmentHash: real.commitmentHash, pools: real.pools }, revealed));
    // The forgery is internally flawless: same commitment hash, other picks.
    expect(forged.commitmentHash).toBe(real.commitmentHash);
    expect(forged.result).not.toEqual(real.result);
    expect(verifyDrawRecord(forged)).toEqual({ ok: true });

    const v = await verify(forged);
    expect(v).toMatchObject({ ok: false, verdict: 'foreign', consistent: true, code: 'DIFFERS_FROM_LEDGER', path: 'revealed.ceremony.value', expected: '402917', actual: '999999' });
    const file = join(h.dataDir, 'forged.json');
    writeFileSync(file, JSON.stringify(forged));
    expect(await cli(['draw', 'verify', file])).toBe(1);
    expect(lines.at(-1)).toContain("NOT this ledger's record");
    expect(lines.at(-1)).toContain('DIFFERS_FROM_LEDGER at revealed.ceremony.value');
  });

  it("issue 7 §2: the ledger's own record is verdict 'ledger', anchored by the draw's events (position, leaf hash) and the ledger head", async () => {
    const real = await drawn('T-V2');
    const v = await verify(real);
    expect(v).toMatchObject({ ok: true, verdict: 'ledger', consistent: true });
    const stream = await h.store.readStream(drawSlotStreamId(real.commitment.task, 'targets'));
    expect(v.ledger).toEqual({
      drawId: real.commitment.drawId,
      status: 'completed',
      head: await h.store.head(),
      events: stream.map((e) => ({ position: e.position, type: e.type, hash: e.hash })),
    });
    expect((v.ledger as { events: { type: string }[] }).events.map((e) => e.type)).toEqual([
      'DrawCommitted', 'CeremonyValueRecorded', 'WitnessSecretRevealed', 'WitnessSecretRevealed', 'DrawCompleted',
    ]);
    expect((await app.inject({ method: 'GET', url: `/draws/${real.commitment.drawId}/verify` })).json()).toEqual(v);
  });

  it("issue 7 §2: a consistent record of a draw this ledger does not hold (another system's) is foreign: DRAW_NOT_IN_LEDGER", async () => {
    const elsewhere = await openHarness();
    try {
      await seedItems(elsewhere.store);
      await seedTargets(elsewhere.store, Array.from({ length: 12 }, (_, i) => target(i + 1)));
      const theirs = await drawn('T-ELSEWHERE', elsewhere);
      expect(verifyDrawRecord(theirs)).toEqual({ ok: true });
      expect(await verify(theirs)).toMatchObject({ ok: false, verdict: 'foreign', consistent: true, code: 'DRAW_NOT_IN_LEDGER', path: 'commitment.drawId' });
      const file = join(h.dataDir, 'theirs.json');
      writeFileSync(file, JSON.stringify(theirs));
      expect(await cli(['draw', 'verify', file])).toBe(1);
      // Offline, the same file is only found consistent: no ledger was consulted.
      expect(await cli(['draw', 'verify', file, '--offline'])).toBe(0);
      expect(lines.at(-1)).toContain('NOT checked against any ledger');
    } finally {
      await elsewhere.close();
    }
  });

  it('issue 7 §2: an inconsistent record names its first difference, before any ledger comparison', async () => {
    const real = await drawn('T-V3');
    const tampered = plain(real) as unknown as { result: { merged: string[] } };
    tampered.result.merged.reverse();
    expect(await verify(tampered)).toMatchObject({ ok: false, verdict: 'inconsistent', consistent: false, code: 'RESULT_MISMATCH', path: 'result.merged[0]' });
    expect(await verify({ nonsense: true })).toMatchObject({ ok: false, verdict: 'inconsistent', consistent: false });
  });
});

describe("issue 7 §1/§2: an abandoned draw's export is published and verifiable, its would-be result marked not taken", () => {
  let h: Harness;
  let app: FastifyInstance;
  beforeEach(async () => {
    h = await openHarness();
    await seedItems(h.store);
    await seedTargets(h.store, [target(1), target(2)]);
    app = await buildApp({ store: h.store, projections: h.projections }, { draws: { clock: () => new Date(NOW) } });
  });
  afterEach(async () => {
    await app.close();
    await h.close();
  });

  // ITEM-G100 may take the whole pool, so each draw selects both entities and counts them (PL5 cap 2).
  const req = (task: string) => withTask(h, { ...request(task), item: 'ITEM-G100', classes: [{ name: 'all', filter: {}, quota: { ratio: { numerator: 1, denominator: 1 } } }] });
  const open = async (task: string) => {
    const r = await req(task);
    const id = await h.service.commitTargets(meta(), r);
    await h.service.recordCeremony(meta(), id, { value: '402917' });
    await h.service.revealWitness(meta(), id, { witness: 'w1', secret: SECRETS.w1 });
    return { id, task: r.task };
  };
  const lockOf = async (task: string) => (await h.store.readStream(taskStreamId(task))).find((e) => e.type === 'TaskListLocked')!.payload as { targets: string[]; excluded?: { uscc: string; rule: string; count: number; cap: number; drawId: string }[] };

  // Replaces "a determined draw refused by PL5 is abandoned with its would-be result" (issue 9): completion no longer looks at PL5.
  it('PL5/V3 (issue 9): a determined draw whose picks another task\'s lock took to the cap completes, cannot be abandoned, verifies as the ledger\'s; its lock records them excluded', async () => {
    const first = await open('T1');
    await h.service.revealWitness(meta(), first.id, { witness: 'w2', secret: SECRETS.w2 });
    await h.tasks.lock(meta(actors.principalA), first.task, first.id);
    // Both entities at 1 of 2: the next two draws still include them. The third is dept-b's draw of
    // its own whole-register item: one department holds one pending list per item (V3).
    await seedItems(h.store, 'dept-b', [{ ...generalAllItem, itemId: 'ITEM-G100B', inspectingBody: 'dept-b' }]);
    const second = await open('T2');
    const thirdReq = await withTask(h, { ...request('T3'), item: 'ITEM-G100B', classes: [{ name: 'all', filter: {}, quota: { ratio: { numerator: 1, denominator: 1 } } }] }, { department: 'dept-b' });
    const thirdId = await h.service.commitTargets(meta(actors.opB), thirdReq);
    await h.service.recordCeremony(meta(actors.opB), thirdId, { value: '402917' });
    await h.service.revealWitness(meta(actors.opB), thirdId, { witness: 'w1', secret: SECRETS.w1 });
    const third = { id: thirdId, task: thirdReq.task };
    await h.service.revealWitness(meta(), second.id, { witness: 'w2', secret: SECRETS.w2 });
    await h.service.revealWitness(meta(actors.opB), third.id, { witness: 'w2', secret: SECRETS.w2 });
    expect((await h.service.get(third.id)).status).toBe('completed');
    await h.tasks.lock(meta(actors.principalA), second.task, second.id);
    expect((await rejected(h.service.abandon(meta(actors.opB), third.id, { reason: 'PL5 名额已被占用 / cap taken' }))).details).toMatchObject({ rule: 'V3', reason: 'DRAW_NOT_OPEN' });

    const exported = (await app.inject({ method: 'GET', url: `/draws/${third.id}/export` })).json<DrawRecord>();
    expect(verifyDrawRecord(exported)).toEqual({ ok: true });
    expect((await app.inject({ method: 'POST', url: '/verify', payload: exported })).json()).toMatchObject({ ok: true, verdict: 'ledger', ledger: { status: 'completed' } });

    await h.tasks.lock(meta({ userId: 'pr-b', role: 'principal', department: 'dept-b' }), third.task, third.id);
    const locked = await lockOf(third.task);
    expect(locked.targets).toEqual([]);
    expect(locked.excluded!.map((e) => e.uscc).sort()).toEqual([makeUscc(1), makeUscc(2)].sort());
    expect(locked.excluded![0]).toMatchObject({ rule: 'PL5', count: 2, cap: 2, drawId: third.id });
    expect((await lockOf(second.task)).targets.sort()).toEqual([makeUscc(1), makeUscc(2)].sort());
  });

  it('V3 (issue 7 §2, legacy): an abandon recorded as yearlyCapReached before issue 9 still publishes its would-be result, verifies as the ledger\'s, not taken; tampering is caught', async () => {
    const third = await open('T3');
    const { commitmentHash } = await h.service.get(third.id);
    // As an older server wrote it: the last reveal alone (PL5 refused the completion), then the abandon.
    const slot = drawSlotStreamId(third.task, 'targets');
    await write(h.store, slot, 'WitnessSecretRevealed', { drawId: third.id, witness: 'w2', secret: SECRETS.w2 });
    await write(h.store, slot, 'DrawAbandoned', { drawId: third.id, commitmentHash, reason: 'PL5 名额已被占用 / cap taken', at: NOW, grounds: 'yearlyCapReached' });

    const exported = (await app.inject({ method: 'GET', url: `/draws/${third.id}/export` })).json<{ taken: boolean; wouldHaveBeen: DrawRecord; abandonGrounds: string }>();
    expect(exported).toMatchObject({ format: 'suiji-abandoned-draw/1', taken: false, abandonGrounds: 'yearlyCapReached' });
    expect(verifyDrawRecord(exported.wouldHaveBeen)).toEqual({ ok: true });
    expect((await h.service.get(third.id)).wouldHaveBeen).toEqual({ taken: false, seed: exported.wouldHaveBeen.seed, result: exported.wouldHaveBeen.result });

    const v = (await app.inject({ method: 'POST', url: '/verify', payload: exported })).json();
    expect(v).toMatchObject({ ok: false, verdict: 'ledger', taken: false, consistent: true, ledger: { status: 'abandoned' } });
    const tampered = plain(exported) as unknown as { wouldHaveBeen: { result: { merged: string[] } } };
    tampered.wouldHaveBeen.result.merged.reverse();
    expect((await app.inject({ method: 'POST', url: '/verify', payload: tampered })).json()).toMatchObject({ verdict: 'inconsistent', path: 'wouldHaveBeen.result.merged[0]' });
    const reasonChanged = { ...plain(exported), abandonReason: '别的理由 / another reason' };
    expect((await app.inject({ method: 'POST', url: '/verify', payload: reasonChanged })).json()).toMatchObject({ verdict: 'foreign', code: 'DIFFERS_FROM_LEDGER', path: 'abandonReason' });
  });
});
