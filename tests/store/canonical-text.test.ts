/**
 * P1, issue 13 review: the stored-text verification pass accepts a row only when its text is
 * exactly canonical JCS. `isCanonicalJson(t)` must be `canonicalize(JSON.parse(t)) === t`, on
 * canonical texts and on every other spelling of the same value.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { isCanonicalJson } from '../../src/store/canonical-text.js';
import { canonicalize } from '../../src/verify/jcs.js';

/** The definition the scanner must match. */
function reference(t: string): boolean {
  try {
    return canonicalize(JSON.parse(t)) === t;
  } catch {
    return false;
  }
}

/** Another spelling of a value: shuffled members, optional whitespace, escaped characters, other number forms. */
function respell(v: unknown, r: () => number): string {
  const ws = (): string => (r() < 0.1 ? [' ', '\n', '\t', '\r'][Math.floor(r() * 4)]! : '');
  if (typeof v === 'number') {
    if (Number.isInteger(v) && r() < 0.3) return `${v}${r() < 0.5 ? '.0' : 'e0'}`;
    if (r() < 0.1) return v.toExponential().toUpperCase();
    return JSON.stringify(v);
  }
  if (typeof v === 'string') {
    if (r() < 0.2 && v.length > 0) {
      const c = v.charCodeAt(0);
      return `"\\u${c.toString(16).padStart(4, '0')}${JSON.stringify(v.slice(1)).slice(1)}`;
    }
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${ws()}${v.map((x) => respell(x, r)).join(`${ws()},${ws()}`)}${ws()}]`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    if (r() < 0.3) keys.reverse();
    return `{${ws()}${keys.map((k) => `${JSON.stringify(k)}${ws()}:${ws()}${respell((v as Record<string, unknown>)[k], r)}`).join(',')}${ws()}}`;
  }
  return JSON.stringify(v);
}

describe('P1: isCanonicalJson is exactly "canonicalize(JSON.parse(t)) === t"', () => {
  it('P1: every canonical text is accepted (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(isCanonicalJson(canonicalize(v))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('P1: any other spelling of a value is judged as the reference judges it (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (v, seed) => {
        let s = seed >>> 0 || 1;
        const r = (): number => ((s = (s * 1103515245 + 12345) >>> 0) % 10_000) / 10_000;
        const t = respell(v, r);
        expect(isCanonicalJson(t)).toBe(reference(t));
      }),
      { numRuns: 3000 },
    );
  });

  it('P1: arbitrary strings, JSON or not, are judged as the reference judges them (property)', () => {
    const alphabet = fc.constantFrom(...'{}[]:," \\u0123456789abcdefEn-+.trulsAZ\u00e9\ud83d\ude00\ud800\n\t/'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 24 }).map((a) => a.join('')), (t) => {
        expect(isCanonicalJson(t)).toBe(reference(t));
      }),
      { numRuns: 5000 },
    );
  });

  const refused: [string, string][] = [
    ['members out of order', '{"b":1,"a":2}'],
    ['a repeated name (JSON.parse keeps the last, SQLite json_extract the first)', '{"a":1,"a":1}'],
    ['whitespace', '{"a": 1}'],
    ['trailing newline', '{"a":1}\n'],
    ['\\u escape of a printable character', '{"a":"\\u0061"}'],
    ['uppercase hex escape of a control character', '{"a":"\\u001F"}'],
    ['\\u escape where a short escape exists', '{"a":"\\u000a"}'],
    ['escaped solidus', '{"a":"\\/"}'],
    ['escaped lone surrogate', '{"a":"\\ud800"}'],
    ['raw lone surrogate', '{"a":"\ud800"}'],
    ['1.0', '{"a":1.0}'],
    ['1e0', '{"a":1e0}'],
    ['1E2', '{"a":1E2}'],
    ['-0', '{"a":-0}'],
    ['leading zero', '{"a":01}'],
    ['1e21 without its sign', '{"a":1e21}'],
    ['0.0000001 spelled out (JCS writes 1e-7)', '{"a":0.0000001}'],
    ['an integer beyond 2^53 spelled exactly', '{"a":12345678901234567891}'],
    ['an escaped name out of order', '{"\\u0062":1,"a":2}'],
  ];
  for (const [name, text] of refused) {
    it(`P1: refuses ${name}`, () => {
      expect(reference(text)).toBe(false);
      expect(isCanonicalJson(text)).toBe(false);
    });
  }

  const accepted = ['{}', '[]', '0', '-1', '1e+21', '1e-7', '1.5', '"\\u001f\\n"', '{"":0,"a":[null,true,false]}', '"😀"', '{"10":1,"9":2}', '12345678901234567000'];
  for (const text of accepted) {
    it(`P1: accepts canonical ${text}`, () => {
      expect(reference(text)).toBe(true);
      expect(isCanonicalJson(text)).toBe(true);
    });
  }
});
