import { describe, expect, it } from 'vitest';
import { verifyDrawRecordText } from '../../../src/verify/index.js';
import { loadJson } from './helpers.js';

interface SpecCase {
  readonly name: string;
  readonly recordText: string;
  readonly verdict: { readonly ok: boolean; readonly code?: string; readonly path?: string };
}

describe('spec clarifications as vectors (issue 7 §6: integers, duplicate keys, ceremony alphabet)', () => {
  const cases = (loadJson('spec-cases.json') as { cases: SpecCase[] }).cases;

  it('covers the four clarified rules', () => {
    expect(cases.map((c) => c.name)).toEqual(['integerSpelling', 'fractionalInteger', 'duplicateKey', 'ceremonyAlphabetRepeated']);
  });

  for (const c of cases) {
    it(`spec §1/§4.3/§8 ${c.name}: verifyDrawRecordText gives ${c.verdict.ok ? 'ok' : `${c.verdict.code} at ${c.verdict.path}`}`, () => {
      expect(verifyDrawRecordText(c.recordText)).toMatchObject(c.verdict);
    });
  }

  it('integerSpelling: 4.0 and 2.0e1 are the values 4 and 20 — the record is the committed vector, byte for byte once re-serialised', () => {
    const spelt = cases.find((c) => c.name === 'integerSpelling')!.recordText;
    expect(spelt).toContain('"denominator":4.0');
    expect(JSON.parse(spelt)).toEqual(loadJson('targets-single-class.json').steps[0].record);
  });
});
