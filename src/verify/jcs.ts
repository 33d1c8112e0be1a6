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
 *
 * Written for speed (every ledger leaf is verified through it): one pass, string concatenation
 * instead of map/join, no sort when the members are already in order (always the case for
 * values parsed from canonical text). tests/verify/jcs.test.ts checks it against a plain
 * reference implementation on arbitrary values.
 */

/** ES2024 String.prototype.isWellFormed; older engines fall back to the regular expression. */
const nativeWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;
const SURROGATE = /\p{Surrogate}/u;
const wellFormed: (s: string) => boolean =
  typeof nativeWellFormed === 'function' ? (s) => nativeWellFormed.call(s) : (s) => !SURROGATE.test(s);

/**
 * JCS string (RFC 8785 §3.2.2.2): JSON.stringify's minimal escapes, lone surrogates refused.
 * Fast path: a string without `"`, `\\`, control characters or surrogates needs no escape, so
 * its JCS form is the string in quotes (one scan instead of a JSON.stringify call).
 */
export function canonicalString(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) {
      if (!wellFormed(s)) throw new RangeError('canonicalize: lone surrogate in string');
      return JSON.stringify(s);
    }
  }
  return `"${s}"`;
}

/** Number::toString is what JSON.stringify writes for a finite number (RFC 8785 §3.2.2.3). */
function canonicalNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError('canonicalize: non-finite number');
  return String(n);
}

function canonicalArray(a: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < a.length; i++) {
    if (i > 0) out += ',';
    const v = a[i];
    // A hole or undefined is null, as JSON.stringify writes it: never `[,1]`, which is not JSON.
    if (v === undefined) out += 'null';
    else out += canonicalize(v);
  }
  return `${out}]`;
}

function canonicalObject(obj: Record<string, unknown>): string {
  const keys = Object.keys(obj);
  // Object.keys lists integer-like names first in numeric order, so "already sorted" must be checked.
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!) {
      keys.sort();
      break;
    }
  }
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${canonicalString(k)}:${canonicalize(v)}`;
  }
  return `${out}}`;
}

export function canonicalize(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return canonicalString(value);
    case 'number':
      return canonicalNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return canonicalArray(value);
      return canonicalObject(value as Record<string, unknown>);
    default:
      throw new TypeError(`canonicalize: cannot encode a ${typeof value}`);
  }
}

const encoder = new TextEncoder();

export const canonicalBytes = (value: unknown): Uint8Array => encoder.encode(canonicalize(value));
