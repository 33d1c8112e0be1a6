/**
 * verifyDrawRecord failure modes, one `when …` per code (sigstore-style). Records start from the
 * committed vectors; where a change would be caught earlier by the commitment hash, the hash is
 * recomputed so the check under test is the one that fires.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { commitmentHash, verifyDrawRecord } from '../../../src/verify/index.js';
import { loadVectors } from './helpers.js';

const record = (name: string, step = 0): any => structuredClone(loadVectors().find((v) => v.name === name)!.steps[step]!.record);
const rehash = (r: any): any => ({ ...r, commitmentHash: bytesToHex(commitmentHash(r.commitment)) });

describe('verifyDrawRecord (V4)', () => {
  describe('when the commitment was edited after publication', () => {
    it('V2: reports COMMITMENT_HASH_MISMATCH at commitmentHash', () => {
      const r = record('targets-single-class');
      r.commitment.purpose = 'something else';
      expect(verifyDrawRecord(r)).toMatchObject({ ok: false, code: 'COMMITMENT_HASH_MISMATCH', path: 'commitmentHash' });
    });
  });

  describe('when the algorithm id is not suiji-draw/1', () => {
    it('V2: reports UNSUPPORTED_ALGORITHM at commitment.algorithm', () => {
      const r = record('targets-single-class');
      r.commitment.algorithm = 'suiji-draw/2';
      expect(verifyDrawRecord(r)).toMatchObject({ ok: false, code: 'UNSUPPORTED_ALGORITHM', path: 'commitment.algorithm' });
    });
  });

  describe('when a committed size does not match the member list', () => {
    it('V2: reports POOL_SIZE_MISMATCH', () => {
      const r = record('targets-single-class');
      r.commitment.classes[0].pool.size = 19;
      r.commitment.classes[0].quota = { count: 5 };
      expect(verifyDrawRecord(rehash(r))).toMatchObject({ ok: false, code: 'POOL_SIZE_MISMATCH', path: 'commitment.classes[0].pool.size' });
    });
  });

  describe('when a member list is missing', () => {
    it('V4: reports POOL_MISSING at the reference', () => {
      const r = record('targets-single-class');
      r.pools = {};
      expect(verifyDrawRecord(r)).toMatchObject({ ok: false, code: 'POOL_MISSING', path: 'commitment.classes[0].pool.hash' });
    });
  });

  describe('when an excluded id is still in the pool', () => {
    it('PL5: reports EXCLUDED_IN_POOL at the exclusion', () => {
      const r = record('targets-multi-class');
      const members: string[] = r.pools[r.commitment.classes[1].pool.hash];
      r.commitment.classes[1].pool.exclusions = [{ id: members[3], reason: 'PL5' }];
      expect(verifyDrawRecord(rehash(r))).toMatchObject({ ok: false, code: 'EXCLUDED_IN_POOL', path: 'commitment.classes[1].pool.exclusions[0].id' });
    });
  });

  describe('when the pools carry an extra member list', () => {
    it('V4: reports MALFORMED at the extra list', () => {
      const r = record('targets-single-class');
      r.pools['00'.repeat(32)] = ['x'];
      expect(verifyDrawRecord(r)).toMatchObject({ ok: false, code: 'MALFORMED', path: `pools.${'00'.repeat(32)}` });
    });
  });

  describe('when the seed was not derived from the commitment and entropy', () => {
    it('V3: reports SEED_MISMATCH at seed', () => {
      const r = record('pool-of-one');
      r.seed = '11'.repeat(32);
      expect(verifyDrawRecord(r)).toMatchObject({ ok: false, code: 'SEED_MISMATCH', path: 'seed', actual: '11'.repeat(32) });
    });
  });

  describe('when the ceremony value was changed to another valid value', () => {
    it('V3: reports SEED_MISMATCH (the seed no longer matches)', () => {
      const r = record('pool-of-one');
      r.revealed.ceremony.value = '11111111111111111111';
      expect(verifyDrawRecord(r)).toMatchObject({ ok: false, code: 'SEED_MISMATCH', path: 'seed' });
    });
  });

  describe('when the planned drand round is not in the future', () => {
    it('V2: reports DRAND_ROUND_NOT_FUTURE', () => {
      const r = record('batch-order');
      r.commitment.committedAt = '2023-08-23T15:59:20Z';
      expect(verifyDrawRecord(rehash(r))).toMatchObject({ ok: false, code: 'DRAND_ROUND_NOT_FUTURE', path: 'commitment.entropy.drand.round' });
    });
  });

  describe('when a witness reveal is missing but the plan says abandon', () => {
    it('V3: reports WITNESS_MISSING', () => {
      const r = record('unicode-ids');
      r.revealed.witnesses[2].secret = null;
      expect(verifyDrawRecord(r)).toMatchObject({ ok: false, code: 'WITNESS_MISSING', path: 'revealed.witnesses[2].secret' });
    });
  });

  describe('when a follow-up carries no parent', () => {
    it('V1: reports PARENT_MISMATCH at parent', () => {
      const r = record('extension', 1);
      delete r.parent;
      expect(verifyDrawRecord(r)).toMatchObject({ ok: false, code: 'PARENT_MISMATCH', path: 'parent' });
    });
  });

  describe("when a follow-up's parent record was tampered with", () => {
    it('V1: reports the parent\'s failure under parent.', () => {
      const r = record('inspector-groups', 3);
      r.parent.result.groups[0].leader = 'someone';
      expect(verifyDrawRecord(r)).toMatchObject({ ok: false, code: 'RESULT_MISMATCH', path: 'parent.result.groups[0].leader' });
    });
  });

  describe('when a group replacement names a member outside the group', () => {
    it('T10: reports PARAMETER_INVALID at the replacement', () => {
      const r = record('inspector-groups', 3);
      r.commitment.replacements[0].member = 'insp-99';
      expect(verifyDrawRecord(rehash(r))).toMatchObject({ ok: false, code: 'PARAMETER_INVALID', path: 'commitment.replacements[0].member' });
    });
  });
});
