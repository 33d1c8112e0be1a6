/**
 * Issue 13: verifying a record from its bytes (pools packed, no string per member) gives the
 * verdict the whole-text path gives — parseJsonStrict of the UTF-8 text, then verifyDrawRecord,
 * as `suiji draw verify --offline` did — on every vector record and on mutations of them: single
 * bytes changed, inserted, deleted; truncation; duplicate names inside and outside the pools;
 * escapes, non-ASCII and whitespace inside the member lists; reordered and changed ids.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PackedIds, parseRecordBytes, verifyDrawRecordBytes, verifyDrawRecordText, type Sha256Factory } from '../../../src/verify/index.js';
import { loadVectors } from './helpers.js';

const nodeSha256: Sha256Factory = () => createHash('sha256');
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The whole-text path as the CLI ran it: readFileSync(path, 'utf8') is Buffer's UTF-8 decoding. */
const reference = (bytes: Uint8Array, sha256?: Sha256Factory) => verifyDrawRecordText(Buffer.from(bytes).toString('utf8'), sha256 ? { sha256 } : {});

function same(bytes: Uint8Array, sha256?: Sha256Factory): void {
  const got = verifyDrawRecordBytes(bytes, sha256 ? { sha256 } : {});
  expect(got).toEqual(reference(bytes, sha256));
}

const records = loadVectors().flatMap((v) => v.steps.map((s, i) => ({ name: `${v.name}#${i}`, record: s.record as unknown })));
/** Each record compact and pretty-printed (as `suiji draw export` writes it). */
const texts = records.flatMap(({ name, record }) => [
  { name: `${name} compact`, text: JSON.stringify(record) },
  { name: `${name} pretty`, text: JSON.stringify(record, null, 2) },
]);

/** Whether any member list of the parsed record was packed (else the fast path was not taken). */
function packedLists(v: unknown): number {
  if (v instanceof PackedIds) return 1;
  if (typeof v !== 'object' || v === null) return 0;
  return Object.values(v).reduce<number>((n, x) => n + packedLists(x), 0);
}

describe('issue 13: a record verified from its bytes, pools packed', () => {
  it('V4: every vector record verifies, with its member lists packed, with @noble and with node:crypto', () => {
    expect(texts.length).toBeGreaterThan(10);
    let packed = 0;
    for (const { name, text } of texts) {
      const bytes = utf8(text);
      const parsed = parseRecordBytes(bytes);
      // Only the unicode-ids vector has non-ASCII members: the whole-text path reads it.
      if (!name.startsWith('unicode-ids')) {
        expect(parsed, name).toBeDefined();
        packed += packedLists(parsed!.record);
      }
      expect(verifyDrawRecordBytes(bytes), name).toEqual({ ok: true });
      expect(verifyDrawRecordBytes(bytes, { sha256: nodeSha256 }), name).toEqual({ ok: true });
    }
    expect(packed).toBeGreaterThan(10);
  });

  it('V4: the packed record is the strictly parsed one, member lists as strings (same JSON)', () => {
    for (const { name, text } of texts.filter((t) => !t.name.startsWith('unicode-ids'))) {
      const parsed = parseRecordBytes(utf8(text))!.record;
      const unpacked = JSON.parse(JSON.stringify(parsed, (_k, v: unknown) => (v instanceof PackedIds ? v.toArray() : v))) as unknown;
      expect(unpacked, name).toEqual(JSON.parse(text));
    }
  });

  const interesting = [0x22, 0x5c, 0x2c, 0x5b, 0x5d, 0x7b, 0x7d, 0x3a, 0x20, 0x0a, 0x09, 0x30, 0x39, 0x41, 0x61, 0x75, 0x00, 0x1f, 0x7f, 0x80, 0xc3, 0xe4, 0xff, 0xef];
  const byteArb = fc.oneof(fc.constantFrom(...interesting), fc.integer({ min: 0, max: 255 }));
  const textArb = fc.constantFrom(...texts);

  it('V4/issue 7 §6: single bytes changed, inserted or deleted, and truncations, get the same verdict', () => {
    fc.assert(
      fc.property(textArb, fc.double({ min: 0, max: 1, noNaN: true }), byteArb, fc.constantFrom('set', 'insert', 'delete', 'truncate'), fc.boolean(), ({ text }, where, byte, op, node) => {
        const b = utf8(text);
        // Half the positions inside the pools (the bulk of a record and the packed part).
        const at = Math.min(b.length - 1, Math.floor(where * b.length));
        let out: Uint8Array;
        if (op === 'set') {
          out = b.slice();
          out[at] = byte;
        } else if (op === 'insert') out = new Uint8Array([...b.subarray(0, at), byte, ...b.subarray(at)]);
        else if (op === 'delete') out = new Uint8Array([...b.subarray(0, at), ...b.subarray(at + 1)]);
        else out = b.slice(0, at);
        same(out, node ? nodeSha256 : undefined);
      }),
      { numRuns: 1500 },
    );
  });

  /** The members of every pool list in a record's text, by position in the text. */
  function poolMembers(text: string): { start: number; end: number }[] {
    const record = JSON.parse(text) as { pools: Record<string, string[]>; parent?: unknown };
    const out: { start: number; end: number }[] = [];
    const poolsAt = text.indexOf('"pools"');
    for (const ids of Object.values(record.pools)) {
      for (const id of ids) {
        const q = JSON.stringify(id);
        const start = text.indexOf(q, poolsAt);
        if (start >= 0) out.push({ start: start + 1, end: start + q.length - 1 });
      }
    }
    return out;
  }
  const withPools = texts.filter((t) => poolMembers(t.text).length > 0);

  it('V4/spec §2.2: escapes, non-ASCII, control characters, empty and over-long ids, whitespace inside member lists: same verdict', () => {
    const edits = fc.constantFrom(
      (id: string) => `\\u00${id.charCodeAt(0).toString(16).padStart(2, '0')}${id.slice(1)}`, // "\u0039…": the same id, escaped
      (id: string) => `${id.slice(0, -1)}\\u0030`,
      (id: string) => `${id}\\"`,
      (id: string) => `${id}\\\\`,
      (id: string) => `${id}é`,
      (id: string) => `${id}\t`,
      (id: string) => '',
      (id: string) => id.repeat(Math.ceil(1025 / id.length)).slice(0, 1025),
      (id: string) => id.repeat(Math.ceil(1024 / id.length)).slice(0, 1024),
      (id: string) => `${id.slice(0, -1)}${String.fromCharCode(0x7f)}`,
      (id: string) => `${id}" , "${id}`,
      (id: string) => `${id}"\n ,\r\n\t"${id}0`,
      (id: string) => `${id}", 1, "${id}0`,
      (id: string) => `${id}", ["${id}0"], "`,
    );
    fc.assert(
      fc.property(fc.constantFrom(...withPools), fc.nat(), edits, fc.boolean(), ({ text }, k, edit, node) => {
        const members = poolMembers(text);
        const m = members[k % members.length]!;
        const out = text.slice(0, m.start) + edit(text.slice(m.start, m.end)) + text.slice(m.end);
        same(utf8(out), node ? nodeSha256 : undefined);
      }),
      { numRuns: 600 },
    );
  });

  it('V4/spec §2.3: reordered, repeated and changed members of a pool: same verdict (order, hash, size)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...records), fc.nat(), fc.nat(), fc.constantFrom('swap', 'repeat', 'change', 'drop'), ({ record }, a, c, op) => {
        const r = structuredClone(record) as { pools: Record<string, string[]> };
        const lists = Object.values(r.pools).filter((l) => l.length > 0);
        if (lists.length === 0) return;
        const list = lists[a % lists.length]!;
        const i = c % list.length;
        const j = (i + 1) % list.length;
        if (op === 'swap') [list[i], list[j]] = [list[j]!, list[i]!];
        else if (op === 'repeat') list.splice(i, 0, list[i]!);
        else if (op === 'change') list[i] = `${list[i]!.slice(0, -1)}${list[i]!.endsWith('0') ? '1' : '0'}`;
        else list.splice(i, 1);
        same(utf8(JSON.stringify(r, null, 2)));
      }),
      { numRuns: 400 },
    );
  });

  it('issue 7 §6: duplicate names inside the pools, at the top, in the commitment and the parent are refused alike', () => {
    for (const { name, text } of texts) {
      const record = JSON.parse(text) as Record<string, unknown>;
      const variants: string[] = [];
      // The same pool list twice (a duplicate name inside `pools`).
      const pools = Object.entries(record.pools as Record<string, unknown>);
      if (pools.length > 0) {
        const [h, ids] = pools[0]!;
        const dupPools = `{${[...pools, [h, ids]].map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
        variants.push(text.replace(/"pools":\s*\{[^]*?\]\s*\}/, `"pools":${dupPools}`));
        // The same list name with another, escaped spelling.
        const escaped = `"\\u00${h.charCodeAt(0).toString(16)}${h.slice(1)}"`;
        variants.push(text.replace(/"pools":\s*\{/, `"pools":{${escaped}:[],`));
      }
      // Top-level `seed` twice, and `pools` twice (once empty, once escaped).
      variants.push(text.replace(/^\{/, `{"seed":${JSON.stringify(record.seed)},`));
      variants.push(text.replace(/^\{/, '{"pools":{},'));
      variants.push(text.replace(/^\{/, '{"\\u0070ools":{},'));
      // A name repeated inside the commitment.
      variants.push(text.replace(/"commitment":\s*\{/, '"commitment":{"drawId":"x",'));
      if (record.parent !== undefined) variants.push(text.replace(/"parent":\s*\{/, '"parent":{"seed":"00",'));
      for (const v of variants) {
        expect(v, name).not.toBe(text);
        same(utf8(v));
        expect(verifyDrawRecordBytes(utf8(v)), name).toMatchObject({ ok: false, code: 'MALFORMED' });
      }
    }
  });

  it('V4: a record under another name for `pools` (escaped), a BOM, whitespace around and a second value are read as the whole text reads them', () => {
    for (const { name, text } of texts.slice(0, 6)) {
      for (const v of [
        text.replace(/"pools"/, '"\\u0070ools"'),
        `\ufeff${text}`,
        ` \n\t${text}\r\n `,
        `${text} {}`,
        `[${text}]`,
        text.replace(/"format":\s*"[^"]*"/, '"format":"suiji-draw-record/2"'),
        text.replace(/"pools"/, '"__proto__"'),
      ]) same(utf8(v));
      expect(name).toBeTruthy();
    }
  });
});
