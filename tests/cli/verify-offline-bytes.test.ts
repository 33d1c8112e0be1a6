/**
 * Issue 13: `suiji draw verify --offline FILE` reads the record from its bytes with its member
 * lists packed. Its answer — verdict, or coded error — must be the one the whole-text reading
 * gave (readJson: strict parse, then the verdict), on the vector records and on broken files.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { internalVerdict } from '../../src/app/draws/verdict.js';
import { readJson, verifyFile } from '../../src/cli/commands/draw-files.js';
import { runProgram } from '../../src/cli/program.js';
import { loadVectors } from '../verify/lottery/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'suiji-verify-bytes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The answer of a verification: its verdict, or the coded error it threw. */
function answer(run: () => unknown): unknown {
  try {
    return { verdict: run() };
  } catch (e) {
    return { error: e instanceof Error ? { name: e.name, message: e.message, ...(e as object) } : e };
  }
}

let n = 0;
function file(text: string | Uint8Array): string {
  const p = join(dir, `r${n++}.json`);
  writeFileSync(p, text);
  return p;
}

describe('issue 13: draw verify --offline from the record\'s bytes', () => {
  const texts = loadVectors().flatMap((v) => v.steps.map((s) => JSON.stringify(s.record, null, 2)));

  it('V4: the same verdict or coded error as the whole-text reading, on vector records and broken files', () => {
    const cases: (string | Uint8Array)[] = [];
    for (const text of texts) {
      cases.push(text);
      cases.push(text.replace(/"pools": \{\n\s*"([0-9a-f]+)": \[\n\s*"/, '"pools": {\n "$1": [\n "\\u0030')); // escaped id
      cases.push(text.replace(/"seed"/, '"seed": "00", "seed"')); // duplicate name outside the pools
      cases.push(text.replace(/"pools": \{/, '"pools": { "x": [], "x": [],')); // duplicate name inside
      cases.push(text.slice(0, Math.floor(text.length / 2))); // truncated
      cases.push(text.replace(/("pools": \{\n\s*"[0-9a-f]+": \[\n\s*"[^"]*)"/, '$1X"')); // a changed member
    }
    let packedFailures = 0;
    for (const c of cases) {
      const p = file(c);
      const got = answer(() => verifyFile(p));
      expect(got).toEqual(answer(() => internalVerdict(readJson(p))));
      if (!('error' in (got as object)) && (got as { verdict: { consistent: boolean } }).verdict.consistent === false) packedFailures++;
    }
    expect(packedFailures).toBeGreaterThan(5);
  });

  it('V4: the command prints the verdict and exits 0 for a consistent record, 1 for an inconsistent one, 2 for a repeated name', async () => {
    const out: string[] = [];
    const ctx = { out: (l: string) => void out.push(l), write: (t: string) => void out.push(t), err: () => undefined, openDraw: () => Promise.reject(new Error('offline opens nothing')) };
    expect(await runProgram(['draw', 'verify', '--offline', file(texts[0]!)], ctx)).toBe(0);
    expect(out.pop()).toMatch(/unanchored|NOT checked against any ledger/);
    const changed = texts[0]!.replace(/"seed": "([0-9a-f])/, (_m, d: string) => `"seed": "${d === '0' ? '1' : '0'}`);
    expect(await runProgram(['draw', 'verify', '--offline', file(changed)], ctx)).toBe(1);
    expect(out.pop()).toMatch(/FAILED: SEED_MISMATCH at seed/);
    await expect(runProgram(['draw', 'verify', '--offline', file(texts[0]!.replace(/"seed"/, '"seed": "00", "seed"'))], ctx)).rejects.toMatchObject({ code: 'BAD_REQUEST', details: { reason: 'DUPLICATE_KEY', field: '/seed' } });
  });
});
