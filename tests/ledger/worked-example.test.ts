/**
 * V4: docs/ledger-format.md §7–8 must stay true. The worked example is parsed out of the doc and
 * every hash is recomputed from its canonical JSON, then the store is asked to write the same
 * three events and must produce exactly those bytes.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalize } from '../../src/verify/jcs.js';
import { merkleRoot, nodeHash } from '../../src/verify/merkle.js';
import { openSqliteStore, verifyLedger } from '../../src/store/index.js';
import { tempDir } from '../helpers/temp-dir.js';
import { exampleAppends, exampleRecordedAt } from './worked-example-events.js';

const doc = readFileSync(resolve(import.meta.dirname, '../../docs/ledger-format.md'), 'utf8');

function parseExample(): { canonical: string[]; leaf: string[]; node01: string; root: Map<number, string>; checkpoints: { size: number; root: string }[] } {
  const block = /```ledger-example\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error('no ledger-example block in docs/ledger-format.md');
  const canonical: string[] = [];
  const leaf: string[] = [];
  const root = new Map<number, string>();
  const checkpoints: { size: number; root: string }[] = [];
  let node01 = '';
  for (const line of block.trim().split('\n')) {
    const m = /^(\w+)(?:\[(\d+)\]|\((\d+)(?:,(\d+))?\))?\s*=\s(.*)$/.exec(line);
    if (!m) throw new Error(`unparseable example line: ${line}`);
    const [, name, index, arg] = m;
    const value = m[5]!;
    if (name === 'canonical') canonical[Number(index)] = value;
    else if (name === 'leaf') leaf[Number(index)] = value;
    else if (name === 'node') node01 = value;
    else if (name === 'root') root.set(Number(arg), value);
    else if (name === 'checkpoint') {
      const c = /^size (\d+), root ([0-9a-f]{64})$/.exec(value);
      if (!c) throw new Error(`bad checkpoint line: ${line}`);
      checkpoints.push({ size: Number(c[1]), root: c[2]! });
    } else throw new Error(`unknown example line: ${line}`);
  }
  return { canonical, leaf, node01, root, checkpoints };
}

const ex = parseExample();
const leafOf = (c: string): string => bytesToHex(sha256(new Uint8Array([0x00, ...utf8ToBytes(c)])));

describe('V4: the worked example in docs/ledger-format.md', () => {
  it('has three events, each canonical JSON is already in RFC 8785 form', () => {
    expect(ex.canonical).toHaveLength(3);
    for (const c of ex.canonical) expect(canonicalize(JSON.parse(c))).toBe(c);
  });

  it('each leaf is SHA-256(0x00 ‖ canonical bytes)', () => {
    ex.canonical.forEach((c, i) => expect(ex.leaf[i]).toBe(leafOf(c)));
  });

  it('node(0,1) and root(1..3) follow RFC 6962 §2.1; the checkpoints are sizes 1 and 3', () => {
    const leaves = ex.leaf.map((h) => hexToBytes(h));
    expect(ex.node01).toBe(bytesToHex(nodeHash(leaves[0]!, leaves[1]!)));
    expect(ex.node01).toBe(bytesToHex(sha256(new Uint8Array([0x01, ...leaves[0]!, ...leaves[1]!]))));
    for (const n of [1, 2, 3]) expect(ex.root.get(n)).toBe(bytesToHex(merkleRoot(leaves.slice(0, n))));
    expect(ex.checkpoints).toEqual([
      { size: 1, root: ex.root.get(1) },
      { size: 3, root: ex.root.get(3) },
    ]);
  });

  it('the store, given the same three events and clock, writes exactly these envelopes, leaves and checkpoints', async () => {
    const dir = tempDir('suiji-example-');
    const store = openSqliteStore({ dataDir: dir.path, clock: () => new Date(exampleRecordedAt) });
    try {
      for (const writes of exampleAppends) await store.appendMulti(writes);
      const recorded = await store.readAll();
      expect(recorded.map(({ hash: _h, ...envelope }) => canonicalize(envelope))).toEqual(ex.canonical);
      expect(recorded.map((e) => e.hash)).toEqual(ex.leaf);
      expect((await store.checkpoints()).map(({ size, root }) => ({ size, root }))).toEqual(ex.checkpoints);
      expect(await verifyLedger(store)).toMatchObject({ ok: true, size: 3, root: ex.root.get(3) });
    } finally {
      await store.close();
      dir.remove();
    }
  });

  it('the shell recipe in §8 uses the example values and states their results', () => {
    const shell = /## 8\.[\s\S]*?```sh\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    expect(shell).toContain(`json='${ex.canonical[2]}'`);
    expect(shell).toContain(`# ${ex.leaf[2]}  -`);
    expect(shell).toContain(`L=${ex.leaf[0]}`);
    expect(shell).toContain(`R=${ex.leaf[1]}`);
    expect(shell).toContain(`# ${ex.node01}  -`);
  });
});
