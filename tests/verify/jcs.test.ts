/** RFC 8785 (JCS) vectors: the canonical bytes behind every ledger leaf (V4: replayable without our code). */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
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

  it('a sparse array hole is written as null, so the output is always JSON (regression: was `[,1]`)', () => {
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [, 1] as unknown[];
    expect(canonicalize(sparse)).toBe('[null,1]');
    expect(JSON.parse(canonicalize({ a: sparse }))).toEqual({ a: [null, 1] });
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

/**
 * The plain RFC 8785 reference the optimised `canonicalize` replaced (map/filter/sort/join and
 * the surrogate regular expression). The optimised one must give the same text, or throw the
 * same error class, for every value.
 */
function referenceCanonicalize(value: unknown): string {
  switch (typeof value) {
    case 'string':
      if (/\p{Surrogate}/u.test(value)) throw new RangeError('lone surrogate');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError('non-finite');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${value.map((v) => referenceCanonicalize(v === undefined ? null : v)).join(',')}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
      return `{${keys.map((k) => `${referenceCanonicalize(k)}:${referenceCanonicalize(obj[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`cannot encode a ${typeof value}`);
  }
}

const outcome = (f: () => string): string => {
  try {
    return `ok:${f()}`;
  } catch (err) {
    return `throws:${(err as Error).constructor.name}`;
  }
};

describe('RFC 8785: optimised canonicalize equals the reference implementation', () => {
  // Any UTF-16 code unit (lone surrogates included), any code point, escapes, ASCII.
  const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
  const anyString = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.string({ unit: 'binary-ascii', maxLength: 12 }),
    fc.string({ unit: codeUnit, maxLength: 6 }),
    fc.constantFrom('', '"', '\\', '/', '\u2028', '\u2029', '\u007f', '\ud83d\ude00', '\ufb33', '\u20ac', '汉字'),
  );
  // Integer-like names ("10", "9") make Object.keys list them out of string order.
  const key = fc.oneof(anyString, fc.nat({ max: 1000 }).map(String), fc.constantFrom('__proto__x', 'a', 'b', 'payload'));
  const edgeNumber = fc.constantFrom(0, -0, 1e21, 1e20, 1e-7, 0.000001, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** 53, 2 ** 64, 0.1 + 0.2, NaN, Infinity, -Infinity);
  const leaf = fc.oneof(anyString, fc.double(), fc.integer(), edgeNumber, fc.boolean(), fc.constant(null), fc.constant(undefined));
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(key, tie('value'), { maxKeys: 6 }),
    ),
  }));

  it('same text or same error class for arbitrary values (unicode, lone surrogates, edge numbers, undefined)', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(outcome(() => canonicalize(v))).toBe(outcome(() => referenceCanonicalize(v)));
      }),
      { numRuns: 3000 },
    );
  });

  it('same text for values parsed back from canonical text (the verifier path)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = referenceCanonicalize(v);
        expect(canonicalize(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('undefined array elements are written as null; refuses a lone surrogate in a key', () => {
    expect(canonicalize([1, undefined, 'x'])).toBe(referenceCanonicalize([1, undefined, 'x']));
    expect(() => canonicalize({ ['a\ud800']: 1 })).toThrow(RangeError);
    expect(() => canonicalize({ a: () => 1 })).toThrow(TypeError);
  });
});
