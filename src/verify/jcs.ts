/**
 * JSON Canonicalization Scheme, RFC 8785. The canonical bytes of every ledger envelope and
 * every lottery record are this function's UTF-8 output.
 *
 * - Numbers: ECMAScript Number::toString (RFC 8785 §3.2.2.3) — exactly what JSON.stringify
 *   emits for finite numbers; NaN and ±Infinity are refused.
 * - Strings: JSON.stringify's escaping (RFC 8785 §3.2.2.2 matches ES2019+ for valid UTF-16);
 *   lone surrogates are refused (§3.2.2.2 requires valid Unicode).
 * - Objects: members sorted by UTF-16 code units of their names (§3.2.3), which is
 *   JavaScript's default string comparison; members whose value is `undefined` are omitted.
 */
export function canonicalize(value: unknown): string {
  switch (typeof value) {
    case 'string':
      if (/\p{Surrogate}/u.test(value)) throw new RangeError('canonicalize: lone surrogate in string');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError('canonicalize: non-finite number');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${value.map((v) => canonicalize(v === undefined ? null : v)).join(',')}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
      return `{${keys.map((k) => `${canonicalize(k)}:${canonicalize(obj[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalize: cannot encode a ${typeof value}`);
  }
}

const encoder = new TextEncoder();

export const canonicalBytes = (value: unknown): Uint8Array => encoder.encode(canonicalize(value));
