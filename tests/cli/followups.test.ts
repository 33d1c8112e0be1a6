/**
 * Issue 8 §3: extensions and replacements could be made by nobody — the spec and src/verify had
 * them, HTTP and the CLI did not. At the console they act as a registered principal (the
 * approver, docs/draws.md §3b); anyone else is refused and nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { completedConsoleDraw } from './adhoc-task.js';
import { runCli } from './run-cli.js';
import { SeededLedgers, ledgerHead } from './seeded.js';

const ledgers = new SeededLedgers();
afterAll(() => ledgers.remove());

let data: string;
let root: string;
let extension: string;

beforeAll(() => {
  data = ledgers.copy(300);
  // The last reveal completes the draw in the same append (issue 7 §1).
  root = completedConsoleDraw(data, { count: 3, secret: '乙的秘密', user: 'yy-swj-scyx-op' });
  extension = join(data, 'extension.json');
  writeFileSync(extension, JSON.stringify({ additional: [{ class: 'all', count: 1 }], reason: '一户已停业，追加一户 / one closed, draw one more' }));
}, 180_000);

describe('issue 8 §3: draw follow-ups at the console', () => {
  it('issue 8 §3 regression (extensions could not be made through the CLI): an operator is refused (403 rule, exit 2) and nothing is written', async () => {
    const before = await ledgerHead(data);
    const r = runCli(['draw', 'extend', root, '--file', extension, '--user', 'yy-swj-scyx-op', '--data', data]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('FORBIDDEN');
    expect(await ledgerHead(data)).toEqual(before);
  });

  it('a principal of the draw\'s department extends it; the extension completes and its record verifies as the ledger\'s', () => {
    const r = runCli(['draw', 'extend', root, '--file', extension, '--user', 'yy-swj-scyx-pr', '--data', data]);
    expect(r.status, r.stderr).toBe(0);
    const followUp = r.stdout.trim();
    expect(followUp).not.toBe(root);
    const done = runCli(['draw', 'complete', followUp, '--user', 'yy-swj-scyx-pr', '--data', data]);
    expect(done.status, done.stderr).toBe(0);
    const file = join(data, 'ext-record.json');
    expect(runCli(['draw', 'export', followUp, '--out', file, '--data', data]).status).toBe(0);
    const v = runCli(['draw', 'verify', file, '--data', data]);
    expect(v.status, v.stdout + v.stderr).toBe(0);
  });

  it('replace-in answers --help and runs nothing', async () => {
    const before = await ledgerHead(data);
    const r = runCli(['draw', 'replace-in', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--file');
    expect(await ledgerHead(data)).toEqual(before);
  });
});
