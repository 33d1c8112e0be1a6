import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SuijiError } from '../../src/domain/errors.js';
import { verifyDrawRecord as verifyRecord } from '../../src/verify/index.js';
import { SECRETS, actors, meta, witnessPlan, withTask, type Harness, rejected, openSeededHarness } from './harness.js';

interface Vectors {
  chain: { chainHash: string; genesisTime: number; periodSeconds: number };
  rounds: { round: number; signature: string; randomness: string }[];
}
const vectors = JSON.parse(readFileSync(resolve(import.meta.dirname, '../vectors/lottery/drand-quicknet.json'), 'utf8')) as Vectors;
const beacon = (round: number) => vectors.rounds.find((r) => r.round === round)!;
const roundTime = (round: number) => new Date((vectors.chain.genesisTime + (round - 1) * vectors.chain.periodSeconds) * 1000);
const at = (d: Date, seconds: number) => new Date(d.getTime() + seconds * 1000).toISOString();

// Real quicknet rounds 1000..1009 were published on 2023-08-23 around 15:59:24Z.
const R = 1000;
const FALLBACK = 1009;
const COMMIT_AT = at(roundTime(R), -600);

describe('drand beacon and ceremony entropy (V2, V3)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openSeededHarness(6);
  });
  afterEach(async () => h.close());

  /** T2/T3 (issue 9): each draw serves a real ad-hoc task whose window holds the 2023 commit date of the drand vectors. */
  const commit = async (entropy: object, revealDeadline: string, extra: { drandFallbackAfter?: string } = {}) =>
    h.service.commitTargets(meta(actors.opA, COMMIT_AT), await withTask(h, {
      task: 'T-D', item: 'ITEM-G1', classes: [{ name: 'all', filter: {}, quota: { count: 2 } }], entropy, revealDeadline, ...extra,
    }, { window: { from: '2023-01-01', to: '2023-12-31' } }));

  it('V3: only the committed round with a valid BLS signature is accepted; the draw then verifies offline', async () => {
    const drawId = await commit({ drand: { chainHash: vectors.chain.chainHash, round: R } }, at(roundTime(R), 600));
    const later = at(roundTime(R), 5);
    const before = await h.store.head();
    expect((await rejected(h.service.recordDrand(meta(actors.opA, later), drawId, { round: R + 1, signature: beacon(R + 1).signature }))).details).toMatchObject({
      lotteryCode: 'DRAND_ROUND_NOT_PLANNED',
    });
    expect((await rejected(h.service.recordDrand(meta(actors.opA, later), drawId, { round: R, signature: beacon(R + 1).signature }))).details).toMatchObject({
      lotteryCode: 'DRAND_SIGNATURE_INVALID',
    });
    expect(await h.store.head()).toEqual(before);
    await h.service.recordDrand(meta(actors.opA, later), drawId, { round: R, signature: beacon(R).signature });
    const record = await h.service.complete(meta(actors.opA, later), drawId);
    expect(record.revealed?.drand).toEqual(beacon(R));
    expect(verifyRecord(JSON.parse(JSON.stringify(record)))).toEqual({ ok: true });
  });

  it('V3: the pre-declared fallback round is accepted only from drandFallbackAfter on', async () => {
    const fallbackAfter = at(roundTime(R), 6);
    expect(roundTime(FALLBACK).toISOString() > fallbackAfter).toBe(true);
    const drawId = await commit({ drand: { chainHash: vectors.chain.chainHash, round: R, fallbackRound: FALLBACK } }, at(roundTime(R), -60), { drandFallbackAfter: fallbackAfter });
    const early = at(roundTime(R), 1);
    expect((await rejected(h.service.recordDrand(meta(actors.opA, early), drawId, { round: FALLBACK, signature: beacon(FALLBACK).signature }))).details).toMatchObject({
      rule: 'V3',
      lotteryCode: 'DRAND_ROUND_NOT_PLANNED',
    });
    const late = at(roundTime(FALLBACK), 1);
    await h.service.recordDrand(meta(actors.opA, late), drawId, { round: FALLBACK, signature: beacon(FALLBACK).signature });
    const record = await h.service.complete(meta(actors.opA, late), drawId);
    expect(record.revealed?.drand?.round).toBe(FALLBACK);
    expect(verifyRecord(JSON.parse(JSON.stringify(record)))).toEqual({ ok: true });
  });

  it('V3: without a fallback, a planned round not recorded in time means the draw must be abandoned', async () => {
    const drawId = await commit({ drand: { chainHash: vectors.chain.chainHash, round: R } }, at(roundTime(R), -60));
    expect((await rejected(h.service.complete(meta(actors.opA, at(roundTime(R), 1)), drawId))).details).toMatchObject({ reason: 'AWAITING_DRAND' });
    expect((await rejected(h.service.complete(meta(actors.opA, at(roundTime(R), 61)), drawId))).details).toMatchObject({ reason: 'MUST_ABANDON' });
  });

  it('V2: a fallback round already published when the fallback opens is refused at commit', async () => {
    const e = await rejected(commit({ drand: { chainHash: vectors.chain.chainHash, round: R, fallbackRound: R + 1 } }, at(roundTime(R), -60)));
    expect(e.details).toMatchObject({ rule: 'V2', field: '/input/entropy/drand/fallbackRound' });
  });

  it('V2: with witnesses, the drand round must be published after the witness reveal deadline', async () => {
    const e = await rejected(commit({ ...witnessPlan(), drand: { chainHash: vectors.chain.chainHash, round: R } }, at(roundTime(R), 1)));
    expect(e.details).toMatchObject({ rule: 'V2', field: '/revealDeadline' });
  });

  it('regression (a drand refusal did not name the earliest acceptable round): a round too soon after the commitment is refused naming the earliest one, which is then accepted', async () => {
    // COMMIT_AT is 600 s before R; with the 30 s margin and 3 s rounds the earliest is R − 190.
    const e = await rejected(commit({ drand: { chainHash: vectors.chain.chainHash, round: R - 191 } }, at(roundTime(R), 600)));
    expect(e.details).toMatchObject({ rule: 'V2', field: '/input/entropy/drand/round', round: R - 191, earliestRound: R - 190, earliestRoundPublishedAt: roundTime(R - 190).toISOString() });
    expect(e.messageZh).toContain(`最早可接受的轮次为 ${R - 190}`);
    expect(e.messageEn).toContain(`the earliest acceptable round is ${R - 190}`);
    expect(e.messageEn).not.toMatch(/[\u4e00-\u9fff]/);
    await expect(commit({ drand: { chainHash: vectors.chain.chainHash, round: R - 190 } }, at(roundTime(R), 600))).resolves.toMatch(/\.targets\.\d+$/);
  });

  it('V2: with witnesses, the refusal names the first round after the reveal deadline', async () => {
    const e = await rejected(commit({ ...witnessPlan(), drand: { chainHash: vectors.chain.chainHash, round: R } }, at(roundTime(R), 1)));
    expect(e.details).toMatchObject({ field: '/revealDeadline', earliestRound: R + 1 });
    await expect(commit({ ...witnessPlan(), drand: { chainHash: vectors.chain.chainHash, round: R + 1 } }, at(roundTime(R), 1))).resolves.toMatch(/\.targets\.\d+$/);
  });

  it('V2: a fallback round published too early is refused naming the earliest acceptable fallback round', async () => {
    // The fallback opens 60 s after R by default; R + 20 is published exactly then, so R + 21 is the first after.
    const e = await rejected(commit({ drand: { chainHash: vectors.chain.chainHash, round: R, fallbackRound: R + 20 } }, at(roundTime(R), -60)));
    expect(e.details).toMatchObject({ field: '/input/entropy/drand/fallbackRound', fallbackRound: R + 20, earliestRound: R + 21 });
    expect(e.messageZh).toContain(`最早可接受的备用轮次为 ${R + 21}`);
  });

  it('V3: a ceremony value alone is refused as entropy (the operator could try values privately)', async () => {
    const e = await rejected(commit({ ceremony: { label: 'dice', alphabet: '123456', length: 4 } }, at(roundTime(R), 600)));
    expect(e.details).toMatchObject({ rule: 'V3', field: '/input/entropy' });
  });

  it('V3: sources are fixed in order — ceremony, then witnesses, then drand — and a ceremony value must fit its alphabet and length', async () => {
    const drawId = await commit(
      { ...witnessPlan(), drand: { chainHash: vectors.chain.chainHash, round: R }, ceremony: { label: '现场摇号机 / public lottery machine', alphabet: '0123456789', length: 6 } },
      at(roundTime(R), -60),
    );
    const t = at(roundTime(R), -300);
    expect((await rejected(h.service.revealWitness(meta(actors.opA, t), drawId, { witness: 'w1', secret: SECRETS.w1 }))).details).toMatchObject({ reason: 'AWAITING_CEREMONY' });
    expect((await rejected(h.service.recordCeremony(meta(actors.opA, t), drawId, { value: '12345a' }))).details).toMatchObject({ lotteryCode: 'CEREMONY_INVALID' });
    await h.service.recordCeremony(meta(actors.opA, t), drawId, { value: '402917' });
    expect((await rejected(h.service.recordCeremony(meta(actors.opA, t), drawId, { value: '111111' }))).details).toMatchObject({ reason: 'ALREADY_REVEALED' });
    await h.service.revealWitness(meta(actors.opA, t), drawId, { witness: 'w1', secret: SECRETS.w1 });
    await h.service.revealWitness(meta(actors.opA, t), drawId, { witness: 'w2', secret: SECRETS.w2 });
    expect((await rejected(h.service.complete(meta(actors.opA, t), drawId))).details).toMatchObject({ reason: 'AWAITING_DRAND' });
    const after = at(roundTime(R), 2);
    await h.service.recordDrand(meta(actors.opA, after), drawId, { round: R, signature: beacon(R).signature });
    const record = await h.service.complete(meta(actors.opA, after), drawId);
    expect(record.revealed?.ceremony).toEqual({ value: '402917' });
    expect(record.revealed?.witnesses).toHaveLength(2);
    expect(verifyRecord(JSON.parse(JSON.stringify(record)))).toEqual({ ok: true });
  });

  it('V3: a ceremony value cannot be recorded once the beacon is out', async () => {
    const drawId = await commit({ drand: { chainHash: vectors.chain.chainHash, round: R }, ceremony: { label: 'dice', alphabet: '123456', length: 4 } }, at(roundTime(R), -60));
    expect((await rejected(h.service.recordCeremony(meta(actors.opA, at(roundTime(R), 0)), drawId, { value: '1234' }))).details).toMatchObject({ reason: 'CEREMONY_TOO_LATE' });
  });
});
