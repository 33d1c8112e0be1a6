/**
 * V4: any change to any field of a published record makes verification fail, and the failure
 * points at the changed field (or at the hash that covers it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyDrawRecord } from '../../../src/verify/index.js';
import { loadVectors } from './helpers.js';

type Leaf = { path: (string | number)[]; value: unknown };

function leaves(v: unknown, path: (string | number)[] = []): Leaf[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => leaves(x, [...path, i]));
  if (v !== null && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, k]));
  return [{ path, value: v }];
}

const show = (path: (string | number)[]): string => path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '');

function mutate(value: unknown, salt: number): unknown {
  if (typeof value === 'number') return value + 1 + (salt % 3);
  if (typeof value === 'string') {
    if (value.length === 0) return 'x';
    // Change the last character to another one that keeps hex hex, so shape checks pass and deeper checks run.
    const last = value[value.length - 1]!;
    const swap = /[0-9a-f]/.test(last) ? (last === 'a' ? 'b' : 'a') : last === 'x' ? 'y' : 'x';
    return value.slice(0, -1) + swap;
  }
  if (value === null) return 'x';
  return !value;
}

function setAt(root: any, path: (string | number)[], value: unknown): void {
  let o = root;
  for (const p of path.slice(0, -1)) o = o[p];
  o[path[path.length - 1]!] = value;
}

/** Where a failure may point when `changed` was modified (the field itself, or the hash covering it). */
function acceptable(changed: string, reported: string, prefix: string): boolean {
  const rel = changed.slice(prefix.length);
  const rep = reported.startsWith(prefix) ? reported.slice(prefix.length) : undefined;
  if (rep === undefined) return false;
  if (rel.startsWith('result')) return rep === rel || rel.startsWith(rep);
  if (rel.startsWith('commitment')) return rep === 'commitmentHash' || rel.startsWith(rep) || rep.startsWith('commitment');
  if (rel.startsWith('pools')) return rep.startsWith('pools') || rep.startsWith('commitment.');
  if (rel.startsWith('revealed')) return rep.startsWith('revealed') || rep === 'seed' || rep.startsWith('commitment.entropy');
  return rep === rel || rel.startsWith(rep) || rep === 'commitmentHash';
}

describe('tampering (V4)', () => {
  const records = loadVectors().flatMap((v) => v.steps.map((s) => ({ name: v.name, record: s.record })));

  it('V4: changing any single leaf of any vector record fails verification at that field', () => {
    const cases = records.flatMap(({ name, record }) => leaves(record).map((leaf) => ({ name, record, leaf })));
    fc.assert(
      fc.property(fc.constantFrom(...cases), fc.nat(), ({ record, leaf }, salt) => {
        const bad = structuredClone(record);
        setAt(bad, leaf.path, mutate(leaf.value, salt));
        const out = verifyDrawRecord(bad);
        expect(out.ok).toBe(false);
        if (out.ok) return;
        const changed = show(leaf.path);
        // Nested parents report with a "parent." prefix; the failure must be inside the tampered record.
        const prefix = changed.match(/^(parent\.)*/)![0];
        expect(acceptable(changed, out.path, prefix), `${changed} → ${out.code} at ${out.path}`).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('V4: a changed result member is reported at its exact path with expected and actual', () => {
    const rec = records.find((r) => r.name === 'targets-multi-class')!.record as any;
    const bad = structuredClone(rec) as any;
    bad.result.classes[1].selected[0] = 'someone-else';
    expect(verifyDrawRecord(bad)).toMatchObject({ ok: false, code: 'RESULT_MISMATCH', path: 'result.classes[1].selected[0]', actual: 'someone-else' });
    bad.result.classes[1].picked[0] = 'someone-else';
    // The first difference in the record's order wins: picked comes before selected.
    expect(verifyDrawRecord(bad)).toMatchObject({ ok: false, code: 'RESULT_MISMATCH', path: 'result.classes[1].picked[0]', expected: rec.result.classes[1].picked[0] });
  });

  it('V4: reordering a committed pool is refused (POOL_NOT_CANONICAL)', () => {
    const rec = records.find((r) => r.name === 'batch-order')!.record;
    const bad = structuredClone(rec) as any;
    const hash = Object.keys(bad.pools)[0]!;
    bad.pools[hash].reverse();
    expect(verifyDrawRecord(bad)).toMatchObject({ ok: false, code: 'POOL_NOT_CANONICAL', path: `pools.${hash}[1]` });
  });

  it('V4: dropping a member from a pool is refused (POOL_HASH_MISMATCH)', () => {
    const rec = records.find((r) => r.name === 'batch-order')!.record;
    const bad = structuredClone(rec) as any;
    const hash = Object.keys(bad.pools)[0]!;
    bad.pools[hash].pop();
    expect(verifyDrawRecord(bad)).toMatchObject({ ok: false, code: 'POOL_HASH_MISMATCH', path: 'commitment.classes[0].pool.hash' });
  });

  it('V3: a follow-up pointing at another parent is refused (PARENT_MISMATCH)', () => {
    const steps = loadVectors().find((v) => v.name === 'extension')!.steps;
    const bad = structuredClone(steps[1]!.record) as any;
    bad.parent = structuredClone(loadVectors().find((v) => v.name === 'targets-single-class')!.steps[0]!.record);
    expect(verifyDrawRecord(bad)).toMatchObject({ ok: false, code: 'PARENT_MISMATCH', path: 'commitment.parent' });
  });

  it('V4: hostile shapes give coded results, never exceptions', () => {
    for (const junk of [null, 1, 'x', [], {}, { format: 'suiji-draw-record/1' }, { format: 'suiji-draw-record/1', commitment: { algorithm: 'suiji-draw/1', kind: 'targets' } }]) {
      const out = verifyDrawRecord(junk);
      expect(out.ok).toBe(false);
    }
    expect(verifyDrawRecord({ format: 'suiji-draw-record/2' })).toMatchObject({ ok: false, code: 'UNSUPPORTED_ALGORITHM', path: 'format' });
  });
});
