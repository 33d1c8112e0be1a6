/**
 * Is a text exactly the RFC 8785 (JCS) text of the JSON value it denotes — the bytes
 * src/verify/jcs.ts `canonicalize` writes? One scan, no parse and no re-encoding, so the
 * stored-text verification pass (src/store/leaf-rows.ts) proves a row canonical at about the
 * cost of reading it once.
 *
 * Why it matters (docs/ledger-format.md §5): the same value has many JSON texts (key order,
 * whitespace, `\u` escapes, `1.0`/`1e0`, repeated names). A row rewritten to another text of
 * the same value is a row edited outside the store; with repeated names it is worse — JSON.parse
 * keeps the last, SQLite's json_extract the first — so two readers of one row see two values.
 * Verification therefore accepts exactly the canonical text.
 *
 * Accepts iff `canonicalize(JSON.parse(t)) === t` (tests/store/canonical-text.test.ts checks
 * this equivalence on arbitrary values and arbitrary re-spellings): no whitespace; members in
 * strictly ascending UTF-16 order of their decoded names (so no repeated name); strings with
 * JSON.stringify's minimal escapes and no lone surrogate; numbers as ECMAScript Number::toString
 * writes them (so no `-0`, `1.0`, `1e0`, `1E2`, leading zeros).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Set by `stringEnd` when the string it scanned held an escape (its raw text is not its value). */
let escaped = false;

/** Index after the closing quote of the canonical string starting at `i` (a quote), or -1. */
function stringEnd(t: string, i: number): number {
  escaped = false;
  let j = i + 1;
  for (;;) {
    const c = t.charCodeAt(j);
    if (c === QUOTE) return j + 1;
    if (c !== c || c < 0x20) return -1; // end of text, or a raw control character
    if (c === BACKSLASH) {
      escaped = true;
      const e = t.charCodeAt(j + 1);
      // JSON.stringify's short escapes: \" \\ \b \f \n \r \t (never \/).
      if (e === QUOTE || e === BACKSLASH || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        j += 2;
        continue;
      }
      // \u00XX, lowercase hex, only for a control character without a short escape.
      if (e !== 0x75 || t.charCodeAt(j + 2) !== 0x30 || t.charCodeAt(j + 3) !== 0x30) return -1;
      const hi = t.charCodeAt(j + 4);
      const lo = t.charCodeAt(j + 5);
      const loVal = lo >= 0x30 && lo <= 0x39 ? lo - 0x30 : lo >= 0x61 && lo <= 0x66 ? lo - 0x61 + 10 : -1;
      if ((hi !== 0x30 && hi !== 0x31) || loVal < 0) return -1;
      const code = (hi - 0x30) * 16 + loVal;
      if (code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d) return -1;
      j += 6;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      // A surrogate pair is written raw; a lone surrogate is refused (RFC 8785 §3.2.2.2).
      const d = t.charCodeAt(j + 1);
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) return -1;
      j += 2;
      continue;
    }
    j += 1;
  }
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** Index after the canonical number starting at `i`, or -1. */
function numberEnd(t: string, i: number): number {
  let j = i;
  let plainInteger = true;
  for (;;) {
    const c = t.charCodeAt(j);
    if (isDigit(c)) j += 1;
    else if (c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45) {
      if (!(c === 0x2d && j === i)) plainInteger = false;
      j += 1;
    } else break;
  }
  const digits = t.charCodeAt(i) === 0x2d ? j - i - 1 : j - i;
  if (digits === 0) return -1;
  // Fast path: an integer below 2^53 without a leading zero is its own Number::toString.
  if (plainInteger && digits < 16) {
    const first = t.charCodeAt(j - digits);
    if (first !== 0x30) return j;
    return digits === 1 && j - i === 1 ? j : -1; // "0" is canonical; "-0" and "01" are not
  }
  // Anything else must be exactly what Number::toString writes for its value (which is valid JSON).
  const token = t.slice(i, j);
  const n = Number(token);
  return Number.isFinite(n) && String(n) === token ? j : -1;
}

/** Index after the canonical value starting at `i`, or -1. */
function valueEnd(t: string, i: number): number {
  const c = t.charCodeAt(i);
  if (c === QUOTE) return stringEnd(t, i);
  if (c === 0x7b) return objectEnd(t, i);
  if (c === 0x5b) {
    let j = i + 1;
    if (t.charCodeAt(j) === 0x5d) return j + 1;
    for (;;) {
      j = valueEnd(t, j);
      if (j < 0) return -1;
      const d = t.charCodeAt(j);
      if (d === 0x5d) return j + 1;
      if (d !== 0x2c) return -1;
      j += 1;
    }
  }
  if (c === 0x2d || isDigit(c)) return numberEnd(t, i);
  if (t.startsWith('true', i)) return i + 4;
  if (t.startsWith('false', i)) return i + 5;
  if (t.startsWith('null', i)) return i + 4;
  return -1;
}

function objectEnd(t: string, i: number): number {
  let j = i + 1;
  if (t.charCodeAt(j) === 0x7d) return j + 1;
  let previous: string | null = null;
  for (;;) {
    if (t.charCodeAt(j) !== QUOTE) return -1;
    const end = stringEnd(t, j);
    if (end < 0) return -1;
    // Names compare as decoded UTF-16 strings (RFC 8785 §3.2.3); the raw text is the name unless escaped.
    const name = escaped ? (JSON.parse(t.slice(j, end)) as string) : t.slice(j + 1, end - 1);
    if (previous !== null && !(previous < name)) return -1;
    previous = name;
    if (t.charCodeAt(end) !== 0x3a) return -1;
    j = valueEnd(t, end + 1);
    if (j < 0) return -1;
    const d = t.charCodeAt(j);
    if (d === 0x7d) return j + 1;
    if (d !== 0x2c) return -1;
    j += 1;
  }
}

/** True iff `t` is the JCS text of its value (see above). A nesting too deep to scan is "no": callers then decode. */
export function isCanonicalJson(t: string): boolean {
  try {
    return valueEnd(t, 0) === t.length;
  } catch {
    return false;
  }
}
