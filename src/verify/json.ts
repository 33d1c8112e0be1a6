/**
 * JSON with exactly one meaning per record (issue 7 §6): RFC 8259 §4 says names within an
 * object SHOULD be unique and leaves duplicates' meaning to the parser — JSON.parse keeps the
 * last. A record or request whose authorised value and whose parsed value could differ is
 * refused instead. No browser-safe, maintained library that reports duplicate names was among
 * our dependencies, so this is a small scanner: JSON.parse decides validity and the value; the
 * scanner, run only on text JSON.parse accepted, finds the first repeated name in an object.
 */

/** The first duplicate name: its JSON Pointer (RFC 6901) and the name itself, as decoded. */
export interface DuplicateKey {
  readonly pointer: string;
  readonly key: string;
}

export class DuplicateKeyError extends SyntaxError {
  override readonly name = 'DuplicateKeyError';
  constructor(readonly pointer: string, readonly key: string) {
    super(`duplicate key ${JSON.stringify(key)} at ${pointer}`);
  }
}

type Frame = { readonly keys: Set<string>; key: string; expectKey: boolean } | { index: number };

const escape = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');
const pointerOf = (stack: readonly Frame[], last: string): string =>
  stack.slice(0, -1).map((f) => '/' + ('keys' in f ? escape(f.key) : String(f.index))).join('') + '/' + escape(last);

/** End index (the closing quote) of the string starting at `start`; the text is valid JSON. */
function stringEnd(text: string, start: number): number {
  let j = start + 1;
  for (;;) {
    const k = text.indexOf('"', j);
    let backslashes = 0;
    while (text.charCodeAt(k - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return k;
    j = k + 1;
  }
}

/** The first duplicate name in `text`, which must already be valid JSON (JSON.parse accepted it). */
export function findDuplicateKey(text: string): DuplicateKey | null {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (top && 'keys' in top && top.expectKey) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        if (top.keys.has(key)) return { pointer: pointerOf(stack, key), key };
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = end;
    } else if (c === 0x7b) stack.push({ keys: new Set(), key: '', expectKey: true });
    else if (c === 0x5b) stack.push({ index: 0 });
    else if (c === 0x7d || c === 0x5d) stack.pop();
    else if (c === 0x2c) {
      const top = stack[stack.length - 1]!;
      if ('keys' in top) top.expectKey = true;
      else top.index++;
    }
  }
  return null;
}

/** JSON.parse that refuses a repeated name in any object (DuplicateKeyError); other errors are JSON.parse's SyntaxError. */
export function parseJsonStrict(text: string): unknown {
  const value = JSON.parse(text) as unknown;
  const dup = findDuplicateKey(text);
  if (dup) throw new DuplicateKeyError(dup.pointer, dup.key);
  return value;
}
