/**
 * Issue 12 "Several instances": three `suiji serve --store postgres://…` processes on one real
 * PostgreSQL 15 database (tests/helpers/postgres.ts), each with its own data directory (read
 * models, checkpoint file) and the same log key, clients picking a port. Nothing in between.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { ed25519 } from '@noble/curves/ed25519.js';
import { cosign, formatCosignerKey } from '../../src/verify/index.js';
import { join } from 'node:path';
import { hexToBytes } from '@noble/hashes/utils.js';
import { verifyConsistency } from '../../src/verify/consistency.js';
import { parseCheckpoint } from '../../src/verify/checkpoint.js';
import { freshSchema, usePostgres } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startInstance } from './serve.js';
import { runCli } from '../cli/run-cli.js';
import { TARGET_COLUMNS } from '../../src/app/registers-io/index.js';
import { freshUscc, targetBody } from '../api/registers/harness.js';

const csvRow = (uscc: string): string[] => [uscc, '沂源县示范加油站有限公司', '企业', '小型', 'F5265', '南麻街道', 'system', 'B', 'A', '否', '否', '是', '0', '存续'];
const csv = (rows: string[][]): string => [Object.values(TARGET_COLUMNS), ...rows].map((r) => r.join(',')).join('\r\n');

const server = usePostgres();
const dirs: { remove: () => void }[] = [];
const children: ChildProcess[] = [];
let urls: string[] = [];
let token = '';
let schema = '';
const W = 'shi.suiji.example/witness';
const witnessSecret = ed25519.utils.randomSecretKey();

const call = async (base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, raw?: string) => {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    ...(raw === undefined ? {} : { body: raw }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: (res.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as Record<string, unknown>) : undefined };
};

beforeAll(async () => {
  schema = freshSchema('multi');
  const url = server().url(schema);
  const first = tempDir('suiji-multi-');
  dirs.push(first);
  const made = runCli(['token', 'create', '--data', first.path, '--user', 'admin-1', '--role', 'admin', '--department', 'system', '--store', url]);
  expect(made.status, made.stderr).toBe(0);
  token = /sj_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/.exec(made.stdout)![0];
  expect(runCli(['keys', 'init', '--data', first.path, '--origin', 'multi.suiji.example/ledger']).status).toBe(0);
  writeFileSync(join(first.path, 'keys', 'witnesses'), `${formatCosignerKey(W, ed25519.getPublicKey(witnessSecret))}\n`);
  const data = [first.path];
  for (let i = 1; i < 3; i++) {
    const d = tempDir('suiji-multi-');
    dirs.push(d);
    // The same log key on every instance: one log, whichever instance signs.
    cpSync(join(first.path, 'keys'), join(d.path, 'keys'), { recursive: true });
    data.push(d.path);
  }
  urls = await Promise.all(data.map((d) => startInstance(children, d, url)));
}, 180_000);

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  dirs.forEach((d) => d.remove());
});

describe('three API instances on one PostgreSQL database', () => {
  it('concurrent register writes across instances all land once; every instance reads every acknowledged write after its own catch-up (x-suiji-read-position)', async () => {
    const usccs = Array.from({ length: 9 }, () => freshUscc());
    const answers = await Promise.all(usccs.map((u, i) => call(urls[i % 3]!, 'POST', '/targets', targetBody(u, 'system'))));
    expect(answers.map((a) => a.status), answers.map((a) => a.text).join('\n')).toEqual(usccs.map(() => 201));
    const [head] = await server().sql<{ size: number }>(`SELECT size::int AS size FROM ${schema}.ledger_head`);
    for (const base of urls) {
      for (const u of usccs) {
        const r = await call(base, 'GET', `/targets/${u}`);
        expect(r.status, r.text).toBe(200);
        expect(r.body).toMatchObject({ uscc: u });
      }
      const r = await call(base, 'GET', `/targets/${usccs[0]}`);
      // The read saw at least every write acknowledged before it was sent.
      expect(Number(r.headers.get('x-suiji-read-position'))).toBeGreaterThanOrEqual(head!.size);
    }
  });

  it('the same Idempotency-Key sent to two instances at once writes once; the other answer replays it', async () => {
    for (let round = 0; round < 3; round++) {
      const uscc = freshUscc();
      const key = `multi-${uscc}`;
      const answers = await Promise.all([0, 1].map((i) => call(urls[(round + i) % 3]!, 'POST', '/targets', targetBody(uscc, 'system'), { 'idempotency-key': key })));
      expect(answers.map((a) => a.status).sort(), answers.map((a) => a.text).join('\n')).toEqual([200, 201]);
      expect(answers.filter((a) => a.body?.replayed === true)).toHaveLength(1);
      const rows = await server().sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.events WHERE stream_id = $1`, [`target-${uscc}`]);
      expect(rows[0]!.n).toBe(1);
    }
  });

  it('V4: signed checkpoints from every instance are one log — each later one extends each earlier one by a verified consistency proof, whichever instance signed or proves', async () => {
    const signed: { size: number; root: string }[] = [];
    for (let round = 0; round < 6; round++) {
      const base = urls[round % 3]!;
      expect((await call(base, 'POST', '/targets', targetBody(freshUscc(), 'system'))).status).toBe(201);
      const r = await call(base, 'GET', '/ledger/checkpoint');
      expect(r.status, r.text).toBe(200);
      const cp = parseCheckpoint(r.text.split('\n\n')[0]! + '\n');
      signed.push({ size: cp.size, root: cp.root });
    }
    // Concurrent signing on all three at once: still one table, one note per size.
    await Promise.all(urls.map((b) => call(b, 'POST', '/targets', targetBody(freshUscc(), 'system'))));
    const concurrent = await Promise.all(urls.map((b) => call(b, 'GET', '/ledger/checkpoint')));
    for (const r of concurrent) {
      expect(r.status, r.text).toBe(200);
      const cp = parseCheckpoint(r.text.split('\n\n')[0]! + '\n');
      signed.push({ size: cp.size, root: cp.root });
    }
    const rows = await server().sql<{ size: number; root: string }>(`SELECT size::int AS size, root FROM ${schema}.signed_checkpoints ORDER BY size`);
    // Each instance signs on its first request (then at most once a second): at least 3 rows.
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const s of signed) expect(rows).toContainEqual(s);
    for (let i = 0; i < rows.length; i++) {
      for (let j = i + 1; j < rows.length; j++) {
        const a = rows[i]!;
        const b = rows[j]!;
        const p = await call(urls[(i + j) % 3]!, 'GET', `/ledger/proof/consistency?from=${a.size}&to=${b.size}`);
        expect(p.status, p.text).toBe(200);
        const proof = (p.body!.proof as string[]).map(hexToBytes);
        expect(verifyConsistency(a.size, b.size, proof, hexToBytes(a.root), hexToBytes(b.root)), `${a.size} -> ${b.size}`).toBe(true);
      }
    }
  });

  it('the same CSV imported through two instances at once: every entity registered exactly once (row event ids come from the file, so the second write of a row is a replay)', async () => {
    const usccs = Array.from({ length: 20 }, () => freshUscc());
    const body = csv(usccs.map(csvRow));
    const answers = await Promise.all([0, 1].map((i) => call(urls[i]!, 'POST', '/imports?kind=targets', undefined, { 'content-type': 'text/csv; charset=utf-8' }, body)));
    for (const a of answers) expect(a.status, a.text).toBe(200);
    const created = answers.map((a) => a.body!.created as number);
    const unchanged = answers.map((a) => a.body!.unchanged as number);
    // A row both imports wrote at once is an idempotent replay by event id: both may report it created.
    expect(created[0]! + created[1]!).toBeGreaterThanOrEqual(20);
    expect(created[0]! + unchanged[0]!).toBe(20);
    expect(created[1]! + unchanged[1]!).toBe(20);
    const rows = await server().sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.events WHERE type = 'TargetRegistered' AND stream_id = ANY($1)`, [usccs.map((u) => `target-${u}`)]);
    expect(rows[0]!.n).toBe(20);
    // Every instance reads every imported entity.
    for (const base of urls) expect((await call(base, 'GET', `/targets/${usccs[19]}`)).status).toBe(200);
  });

  it("V4/P2: a witness's cosignature accepted through one instance is served with the checkpoint by every other (one table in the ledger's schema)", async () => {
    expect((await call(urls[0]!, 'POST', '/targets', targetBody(freshUscc(), 'system'))).status).toBe(201);
    const cp = await call(urls[0]!, 'GET', '/ledger/checkpoint');
    expect(cp.status, cp.text).toBe(200);
    const note = cp.text;
    const body = note.split('\n\n')[0]! + '\n';
    const line = cosign(body, W, witnessSecret, Math.floor(Date.now() / 1000));
    const posted = await call(urls[0]!, 'POST', '/ledger/cosignatures', { checkpoint: note, cosignature: line });
    expect(posted.status, posted.text).toBe(201);
    for (const base of urls.slice(1)) {
      const served = await call(base, 'GET', '/ledger/checkpoint/cosigned');
      expect(served.status, served.text).toBe(200);
      expect(served.text.endsWith(line)).toBe(true);
      expect(served.text.startsWith(body)).toBe(true);
    }
    const rows = await server().sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.ledger_cosignatures`);
    expect(rows[0]!.n).toBe(1);
  });

  it('G3: a token revoked through one instance is refused (401) by the others from the next request', async () => {
    for (const base of urls) expect((await call(base, 'GET', '/tokens')).status).toBe(200);
    const tokenId = /^sj_([^.]+)\./.exec(token)![1]!;
    const r = await call(urls[0]!, 'POST', `/tokens/${tokenId}/revocation`, { reason: 'multi-instance test' });
    expect(r.status, r.text).toBe(200);
    for (const base of urls) expect((await call(base, 'GET', '/tokens')).status).toBe(401);
  });
});
