import { describe, expect, it } from 'vitest';
import { Shuffler, Stream, commitDraw, completeDraw, verifyDrawRecord } from '../../../src/verify/index.js';
import type { DrawRecord } from '../../../src/verify/index.js';
import { loadJson, loadVectors } from './helpers.js';

const hexToBytes = (h: string): Uint8Array => Uint8Array.from(h.match(/../g)!, (b) => parseInt(b, 16));

describe('committed lottery vectors (V4: replay gives the identical result)', () => {
  const vectors = loadVectors();

  it('V4: the vector set covers every draw kind', () => {
    const kinds = new Set(vectors.flatMap((v) => v.steps.map((s) => s.record.commitment.kind)));
    expect([...kinds].sort()).toEqual(['batchOrder', 'experts', 'extension', 'inspectorGroups', 'replacement', 'targets']);
  });

  for (const v of vectors) {
    it(`V1/V4 ${v.name} (${v.rules.join(', ')}): inputs reproduce the committed commitment, seed and result`, () => {
      const records: DrawRecord[] = [];
      for (const step of v.steps) {
        const committed = commitDraw(step.input);
        expect(committed.commitmentHash).toBe(step.record.commitmentHash);
        expect(committed.commitment).toEqual(step.record.commitment);
        const record = completeDraw(committed, step.revealed, step.parent === undefined ? undefined : records[step.parent]);
        expect(record.seed).toBe(step.record.seed);
        expect(JSON.parse(JSON.stringify(record))).toEqual(step.record);
        records.push(record);
      }
    });

    it(`V4 ${v.name}: every committed record verifies from its JSON alone`, () => {
      for (const step of v.steps) expect(verifyDrawRecord(step.record)).toEqual({ ok: true });
    });
  }

  it('V5: the sampler reproduces its vector (stream words, rejection in uniform, Fisher–Yates order)', () => {
    const s = loadJson('sampler.json');
    const key = hexToBytes(s.key);
    const stream = new Stream(key);
    expect(Array.from({ length: s.words.length }, () => stream.nextWord())).toEqual(s.words);
    for (const u of s.uniforms) expect(new Stream(key).uniform(u.m)).toBe(u.value);
    const sh = new Shuffler(10, new Stream(key));
    expect(Array.from({ length: 10 }, () => sh.pick())).toEqual(s.shuffle10);
    expect(sh.pick()).toBeUndefined();
  });
});
