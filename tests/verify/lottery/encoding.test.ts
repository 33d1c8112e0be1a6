import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalPool, compareIds, poolHash, commitDraw } from '../../../src/verify/index.js';
import type { LotteryError } from '../../../src/verify/index.js';
import { base, witnessPlan, errorOf } from './helpers.js';

const utf8 = new TextEncoder();
const byteCompare = (a: string, b: string): number => {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
};

describe('pool encoding (spec §2)', () => {
  it('V4: ids are ordered by UTF-8 bytes, not UTF-16 code units', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => Math.sign(compareIds(a, b)) === Math.sign(byteCompare(a, b))));
    // U+FF01 (EF BC 81) sorts before U+20000 (F0 A0 80 80) in UTF-8, after it in UTF-16.
    expect(canonicalPool(['𠀀', '！'], 'p')).toEqual(['！', '𠀀']);
    expect(['𠀀', '！'].sort()).toEqual(['𠀀', '！']);
  });

  it('V4: ids are normalised to NFC, so NFD and NFC input give the same pool hash', () => {
    const nfc = ['Café Zhōu', '한국식품', '张三'];
    const nfd = nfc.map((s) => s.normalize('NFD'));
    expect(canonicalPool(nfd, 'p')).toEqual(canonicalPool(nfc, 'p'));
    expect(poolHash(canonicalPool(nfd, 'p'))).toEqual(poolHash(canonicalPool(nfc, 'p')));
  });

  it('V2: a duplicate id is refused, also when it differs only in normal form', () => {
    expect(errorOf(() => canonicalPool(['a', 'b', 'a'], 'p'))?.code).toBe('POOL_NOT_CANONICAL');
    expect(errorOf(() => canonicalPool(['é', 'e\u0301'], 'p'))?.code).toBe('POOL_NOT_CANONICAL');
  });

  it('V2: empty ids, lone surrogates and over-long ids are refused (ID_INVALID)', () => {
    expect(errorOf(() => canonicalPool([''], 'p'))?.code).toBe('ID_INVALID');
    expect(errorOf(() => canonicalPool(['\ud800x'], 'p'))?.code).toBe('ID_INVALID');
    expect(errorOf(() => canonicalPool(['x'.repeat(1025)], 'p'))?.code).toBe('ID_INVALID');
    expect(errorOf(() => canonicalPool(['张'.repeat(342)], 'p'))?.code).toBe('ID_INVALID'); // 1026 bytes
    expect(canonicalPool(['张'.repeat(341)], 'p')).toHaveLength(1); // 1023 bytes
  });

  it('V4: poolHash refuses an unsorted or non-NFC committed pool with the index', () => {
    expect(errorOf(() => poolHash(['b', 'a'], 'pools.x'))).toMatchObject({ code: 'POOL_NOT_CANONICAL', path: 'pools.x[1]' });
    expect(errorOf(() => poolHash(['a', 'e\u0301'], 'pools.x'))).toMatchObject({ code: 'ID_INVALID', path: 'pools.x[1]' });
  });

  it('V4: the pool hashes printed in spec §2.4 are what the code computes', () => {
    expect(Buffer.from(poolHash([])).toString('hex')).toBe('5938a4e0f25529972ad5c5bf2226a9e1d255e18ef6ef53f617c4e4dcf4e9d18f');
    expect(Buffer.from(poolHash(['a', '张'])).toString('hex')).toBe('f9af308162c6e46ce2c44219fc06db0cc73eeec1a550d61cbfc247c131834c9e');
  });

  it('V2: the pool hash is SHA-256 over the tag and u32be-length-prefixed UTF-8 ids (spec §2.4 example)', () => {
    // Spec §2.4 worked example: pool ["a", "张"].
    expect(Buffer.from(poolHash(['a', '张'])).toString('hex')).toBe(
      createHash('sha256').update(Buffer.concat([Buffer.from('suiji-draw/1:pool\0'), Buffer.from([0, 0, 0, 1, 0x61, 0, 0, 0, 3, 0xe5, 0xbc, 0xa0])])).digest('hex'),
    );
  });

  it('V4: input order does not matter — any shuffle of the input gives the same commitment and result', () => {
    const members = Array.from({ length: 40 }, (_, i) => `m-${i}`);
    const commit = (ms: readonly string[]) =>
      commitDraw({ ...base, kind: 'targets', classes: [{ name: 'c', pool: { members: ms, exclusions: [{ id: 'm-3', reason: 'x' }, { id: 'm-1', reason: 'y' }] }, quota: { count: 5 } }], entropy: witnessPlan('00'.repeat(32)) });
    const ref = commit(members).commitmentHash;
    fc.assert(fc.property(fc.shuffledSubarray(members, { minLength: 40, maxLength: 40 }), (shuffled) => commit(shuffled).commitmentHash === ref), { numRuns: 50 });
  });

  it('V2: exclusions are removed before the commit and listed in it, sorted', () => {
    const { commitment, pools } = commitDraw({
      ...base, kind: 'targets', classes: [{ name: 'c', pool: { members: ['a', 'b', 'c'], exclusions: [{ id: 'c', reason: 'PL5' }, { id: 'a', reason: 'G2' }] }, quota: { count: 1 } }], entropy: witnessPlan('00'.repeat(32)),
    });
    if (commitment.kind !== 'targets') throw new Error('kind');
    const pool = commitment.classes[0]!.pool;
    expect(pools[pool.hash]).toEqual(['b']);
    expect(pool.exclusions).toEqual([{ id: 'a', reason: 'G2' }, { id: 'c', reason: 'PL5' }]);
  });
});
