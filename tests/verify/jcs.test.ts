/** RFC 8785 (JCS) vectors: the canonical bytes behind every ledger leaf (V4: replayable without our code). */
import { describe, it, expect } from 'vitest';
import { bytesToHex } from '@noble/hashes/utils.js';
import { canonicalize, canonicalBytes } from '../../src/verify/jcs.js';

const fromBits = (hex: string): number => new DataView(Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16))).buffer).getFloat64(0);

describe('RFC 8785 JSON canonicalization', () => {
  it('§3.2.2 example: numbers, string escapes and literals', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], ' +
        '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    ) as unknown;
    expect(canonicalize(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('§3.2.3 example: members sorted by UTF-16 code units, not code points or locale', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    const keys = Object.keys(JSON.parse(canonicalize(input)) as object);
    // Note 😀 (U+1F600, surrogates D83D DE00) sorts before U+FB33 in UTF-16 order.
    expect(canonicalize(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis",' +
        '"€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    expect(keys).toHaveLength(7);
  });

  it('§3.2.4 UTF-8 output of the §3.2.3 example starts with the expected bytes', () => {
    const bytes = canonicalBytes({ '\u20ac': 'Euro Sign', '\r': 'Carriage Return' });
    expect(bytesToHex(bytes.slice(0, 8))).toBe('7b225c72223a2243'); // {"\r":"C
    expect(bytesToHex(canonicalBytes('€'))).toBe('22e282ac22');
  });

  // RFC 8785 Appendix B: IEEE 754 bit patterns and their required text.
  const appendixB: [string, string][] = [
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ];
  it.each(appendixB)('Appendix B: %s serialises as %s', (bits, text) => {
    expect(canonicalize(fromBits(bits))).toBe(text);
  });

  it('number forms around the exponent switch: 1e21, 1e20, 0.000001, 1e-7, -0', () => {
    expect(canonicalize([1e21, 1e20, 0.000001, 1e-7, -0, 0.1 + 0.2])).toBe('[1e+21,100000000000000000000,0.000001,1e-7,0,0.30000000000000004]');
  });

  it('refuses NaN, ±Infinity (Appendix B) and lone surrogates (§3.2.2.2); refuses non-JSON types', () => {
    for (const bad of [NaN, Infinity, -Infinity, { a: NaN }, ['\ud800'], { ['\udc00']: 1 }]) expect(() => canonicalize(bad)).toThrow(RangeError);
    expect(() => canonicalize(10n)).toThrow(TypeError);
    expect(() => canonicalize(() => 1)).toThrow(TypeError);
  });

  it('string escapes: control characters as \\u00xx lowercase, \\b \\t \\n \\f \\r short forms, / and non-ASCII verbatim', () => {
    expect(canonicalize('\u0000\u0001\b\t\n\u000b\f\r\u001f"\\/é汉😀\u007f')).toBe('"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f\\"\\\\/é汉😀\u007f"');
  });

  it('arrays keep their order; nested objects are sorted recursively; undefined members are dropped', () => {
    expect(canonicalize({ b: [3, 1, { z: 1, a: 2 }], a: { y: undefined, x: null } })).toBe('{"a":{"x":null},"b":[3,1,{"a":2,"z":1}]}');
    expect(canonicalize([undefined])).toBe('[null]');
  });

  it('is idempotent: canonicalising the parsed canonical text gives the same text', () => {
    const v = { n: [1e21, 5e-324, -0], s: '\u2028\u2029', k: { '\ud83d\ude00': 1, '\ufb33': 2 } };
    const once = canonicalize(v);
    expect(canonicalize(JSON.parse(once))).toBe(once);
  });
});
