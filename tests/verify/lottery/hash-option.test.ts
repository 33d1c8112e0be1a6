/**
 * Issue 13: the CLI and server verify draw records with node:crypto's SHA-256 for the member
 * lists (src/app/draws/verdict.ts); the browser keeps @noble's. Both must give the same verdict
 * — the same ok, code, path and values — on every vector record and every single-field change of one.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nobleSha256, poolHash, listHash, verifyDrawRecord, type Sha256Factory } from '../../../src/verify/index.js';
import { verifyRecordOffline } from '../../../src/app/draws/service.js';
import { loadVectors } from './helpers.js';

const nodeSha256: Sha256Factory = () => createHash('sha256');

type Leaf = { path: (string | number)[]; value: unknown };
function leaves(v: unknown, path: (string | number)[] = []): Leaf[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => leaves(x, [...path, i]));
  if (v !== null && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, k]));
  return [{ path, value: v }];
}

function changed(record: unknown, leaf: Leaf): unknown {
  const bad = structuredClone(record) as Record<string | number, unknown>;
  let o = bad;
  for (const p of leaf.path.slice(0, -1)) o = o[p] as Record<string | number, unknown>;
  const v = leaf.value;
  o[leaf.path[leaf.path.length - 1]!] = typeof v === 'number' ? v + 1 : typeof v === 'string' ? `${v.slice(0, -1)}${v.endsWith('a') ? 'b' : 'a'}` : v === null ? 'x' : !v;
  return bad;
}

describe('issue 13: node:crypto and @noble verify draw records alike', () => {
  const records = loadVectors().flatMap((v) => v.steps.map((s) => ({ name: `${v.name}`, record: s.record as unknown })));

  it('V4: every vector record verifies with either hash, and the server path (node:crypto) says consistent', () => {
    expect(records.length).toBeGreaterThan(5);
    for (const { record } of records) {
      expect(verifyDrawRecord(record)).toEqual({ ok: true });
      expect(verifyDrawRecord(record, { sha256: nodeSha256 })).toEqual({ ok: true });
      expect(verifyRecordOffline(record)).toMatchObject({ consistent: true });
    }
  });

  it('V4: single-field changes of every vector record (every pool member, and a spread of the other fields) get the same verdict from both hashes (code, path, expected, actual)', () => {
    let failures = 0;
    for (const { record } of records) {
      const all = leaves(record);
      const pools = all.filter((l) => l.path[0] === 'pools' || l.path.includes('pools')).slice(0, 60);
      const rest = all.filter((l) => !pools.includes(l));
      const stride = Math.max(1, Math.ceil(rest.length / 25));
      for (const leaf of [...pools, ...rest.filter((_, i) => i % stride === 0)]) {
        const bad = changed(record, leaf);
        const noble = verifyDrawRecord(bad);
        expect(verifyDrawRecord(bad, { sha256: nodeSha256 })).toEqual(noble);
        if (!noble.ok) failures += 1;
      }
    }
    expect(failures).toBeGreaterThan(50);
  });

  it('V4: pool and list hashes agree byte for byte, ASCII and not, across the 64 KiB chunk boundary', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `${String(i).padStart(6, '0')}${i % 7 === 0 ? '企业-é😀' : 'X'.repeat(i % 40)}`).sort();
    expect(Buffer.from(poolHash(ids, 'p', nodeSha256)).toString('hex')).toBe(Buffer.from(poolHash(ids, 'p', nobleSha256)).toString('hex'));
    expect(Buffer.from(listHash([...ids].reverse(), 'l', nodeSha256)).toString('hex')).toBe(Buffer.from(listHash([...ids].reverse())).toString('hex'));
  });
});
