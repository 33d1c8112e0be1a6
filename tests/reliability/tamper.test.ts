/**
 * Issue 12, tamper: a ledger made by the real CLI (tokens issued by `suiji token create`, so the
 * trusted checkpoint file exists too), changed behind its back four ways; `suiji ledger verify`
 * must fail naming the first bad position each time. The store-level cases (garbled rows,
 * forged heads, batches) are in tests/ledger/tamper.test.ts; this adds the swap and the rewritten
 * checkpoint file at the CLI, as an operator would run it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../cli/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { adminToken, recordResult } from './support.js';

const SIZE = 8;
let base: { path: string; remove: () => void };
const dirs: { remove: () => void }[] = [];
const caught: Record<string, string> = {};

beforeAll(() => {
  base = tempDir('suiji-rel-tamper-');
  for (let i = 0; i < SIZE; i++) adminToken(base.path, {}, `tamper-${i}`);
  const v = runCli(['ledger', 'verify', '--data', base.path]);
  expect(v.status, v.stdout + v.stderr).toBe(0);
}, 300_000);
afterAll(() => {
  base.remove();
  for (const d of dirs) d.remove();
  recordResult('tamper', { store: 'sqlite', cases: caught });
});

function copy(): string {
  const d = tempDir('suiji-rel-tamper-c-');
  dirs.push(d);
  cpSync(base.path, d.path, { recursive: true });
  return d.path;
}
const withDb = (dir: string, sql: string[]): void => {
  const db = new Database(join(dir, 'suiji.db'));
  try {
    db.transaction(() => sql.forEach((s) => db.exec(s)))();
  } finally {
    db.close();
  }
};
function verifyFails(dir: string, name: string, position: number): void {
  const v = runCli(['ledger', 'verify', '--data', dir]);
  expect(v.status, v.stdout + v.stderr).toBe(1);
  expect(v.stdout).toContain(`FAILED at position ${position}`);
  caught[name] = v.stdout.split('\n')[0]!;
}

describe('issue 12 tamper: ledger verify names the first bad position', () => {
  it('P1: one byte changed in an event payload', () => {
    const dir = copy();
    withDb(dir, [`UPDATE events SET payload = replace(payload, '"admin"', '"adman"') WHERE position = 5`]);
    verifyFails(dir, 'byteChanged', 5);
  });

  it('P1: an event deleted', () => {
    const dir = copy();
    withDb(dir, ['DELETE FROM events WHERE position = 3']);
    verifyFails(dir, 'eventDeleted', 3);
  });

  it('P1: two rows swapped (positions 2 and 3 exchanged, each row intact)', () => {
    const dir = copy();
    withDb(dir, ['UPDATE events SET position = -1 WHERE position = 2', 'UPDATE events SET position = 2 WHERE position = 3', 'UPDATE events SET position = 3 WHERE position = -1']);
    verifyFails(dir, 'rowsSwapped', 2);
  });

  it('P1: a checkpoint rewritten (the stored checkpoint root, and the trusted checkpoint file)', () => {
    const dir = copy();
    withDb(dir, [`UPDATE checkpoints SET root = '${'ab'.repeat(32)}' WHERE size = 4`]);
    verifyFails(dir, 'checkpointRowRewritten', 3);

    const other = copy();
    const file = join(other, 'checkpoint');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[2] = Buffer.alloc(32, 7).toString('base64'); // same size, forged root
    writeFileSync(file, lines.join('\n'));
    const v = runCli(['ledger', 'verify', '--data', other]);
    expect(v.status, v.stdout + v.stderr).toBe(1);
    // The file says nothing about single leaves: verify names its size and the reason.
    expect(v.stdout).toContain(`FAILED at position ${SIZE}: trusted-checkpoint-mismatch`);
    caught.checkpointFileRewritten = v.stdout.split('\n')[0]!;
  });
});
