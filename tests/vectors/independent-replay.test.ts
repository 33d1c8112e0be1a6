/**
 * V4: the spec alone is enough. tests/vectors/lottery/replay.py is a second implementation of
 * suiji-draw/1 in plain Python (hashlib only), written from docs/lottery-spec.md; it must
 * reproduce every committed vector. A change to our draw that the spec does not describe
 * fails here even if our own tests were regenerated with it.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

describe('V4: an independent re-implementation replays the vectors', () => {
  it('V4: replay.py (Python, from the spec alone) reproduces every record and the sampler vector', () => {
    const script = join(import.meta.dirname, 'lottery', 'replay.py');
    const r = spawnSync('python3', [script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.error, 'python3 must be installed (it is on this machine kind)').toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/reproduced from the spec/);
  });
});
