import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DuplicateKeyError, findDuplicateKey, parseJsonStrict, verifyDrawRecordText } from '../../src/verify/index.js';

const dupOf = (text: string) => {
  try {
    parseJsonStrict(text);
  } catch (e) {
    if (e instanceof DuplicateKeyError) return { pointer: e.pointer, key: e.key };
    throw e;
  }
  return null;
};

describe('strict JSON: a record has exactly one meaning (issue 7 §6)', () => {
  it.each([
    ['{"a":1,"a":2}', '/a', 'a'],
    ['{"role":"auditor","x":{"y":[1,{"k":0,"k":1}]},"role":"admin"}', '/x/y/1/k', 'k'],
    ['{"a":1,"\\u0061":2}', '/a', 'a'], // the same name, escaped: JSON.parse would keep the second
    ['[{"a/b":1,"a/b":2}]', '/0/a~1b', 'a/b'],
    ['{"t~":{"q":"\\"}","q":3}}', '/t~0/q', 'q'], // a quote and a brace inside a string are not structure
    ['{"":1,"":2}', '/', ''],
  ])('duplicate key in %s is refused at its JSON Pointer', (text, pointer, key) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(dupOf(text)).toEqual({ pointer, key });
  });

  it.each([
    '{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}',
    '{"s":"\\\\","t":"\\\\\\"a\\":1"}',
    '[]',
    '"{\\"a\\":1,\\"a\\":2}"',
    '{"a":[],"b":{},"c":[[],[{}]]}',
  ])('the same name in different objects, or inside a string, is fine: %s', (text) => {
    expect(parseJsonStrict(text)).toEqual(JSON.parse(text));
  });

  it('invalid JSON is refused as JSON.parse refuses it', () => {
    expect(() => parseJsonStrict('{"a":1,}')).toThrow(SyntaxError);
    expect(() => parseJsonStrict('{"a":1,}')).not.toThrow(DuplicateKeyError);
  });

  it('agrees with JSON.parse on every value without duplicates, and finds every injected duplicate (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        expect(findDuplicateKey(text)).toBeNull();
        expect(parseJsonStrict(text)).toEqual(JSON.parse(text));
        const withDup = `{"k":${text},"z":0,"k":${text}}`;
        expect(findDuplicateKey(withDup)).toEqual({ pointer: '/k', key: 'k' });
      }),
      { numRuns: 300 },
    );
  });

  it('verifyDrawRecordText: a record with a repeated key is MALFORMED at that key, not verified', () => {
    expect(verifyDrawRecordText('{"format":"x","commitment":{"drawId":"a","drawId":"b"}}')).toMatchObject({ ok: false, code: 'MALFORMED', path: 'commitment.drawId' });
    expect(verifyDrawRecordText('{"x":')).toMatchObject({ ok: false, code: 'MALFORMED', path: 'record' });
  });
});
