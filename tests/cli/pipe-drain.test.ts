/**
 * Issue 8 §4: output piped from the CLI was cut at 64 KiB (`suiji draw export ID | …` lost most
 * of a 160 KB record in 6 of 7 runs): the process exited before stdout drained. Here a real
 * shell pipe feeds a reader process that reads slowly, several times over, and every run must
 * deliver every byte. The draw itself is made through the CLI as a registered user.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { completedConsoleDraw } from './adhoc-task.js';
import { cliPath, runCli } from './run-cli.js';
import { SeededLedgers } from './seeded.js';

const ledgers = new SeededLedgers();
afterAll(() => ledgers.remove());

/** Reads stdin in small pauses (so the pipe stays full while the CLI writes) and prints bytes and SHA-256. */
const SLOW_READER = `
const h = require('node:crypto').createHash('sha256');
let n = 0;
process.stdin.on('data', (c) => { n += c.length; h.update(c); process.stdin.pause(); setTimeout(() => process.stdin.resume(), 3); });
process.stdin.on('end', () => process.stdout.write(n + ' ' + h.digest('hex')));
`;

let data: string;
let drawId: string;
let expected: { bytes: number; sha: string };

beforeAll(() => {
  // ~8,000 targets in the pool make a public record of well over 160 KB.
  data = ledgers.copy(8000);
  drawId = completedConsoleDraw(data, { count: 20, secret: '甲的秘密', user: 'yy-admin' });
  const file = join(data, 'record.json');
  expect(runCli(['draw', 'export', drawId, '--out', file, '--data', data]).status).toBe(0);
  const bytes = readFileSync(file);
  expected = { bytes: bytes.length, sha: createHash('sha256').update(bytes).digest('hex') };
}, 180_000);

describe('issue 8 §4: piped output is never cut', () => {
  it('issue 8 §4 regression (the process exited before stdout drained: a 160 KB export piped kept 64 KiB): every byte reaches a slow reader through a real pipe, run after run', () => {
    expect(expected.bytes).toBeGreaterThan(160 * 1024);
    const reader = join(data, 'slow-reader.cjs');
    writeFileSync(reader, SLOW_READER);
    const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
    for (let run = 0; run < 5; run++) {
      const r = spawnSync('sh', ['-c', `${q(process.execPath)} ${q(cliPath)} draw export ${q(drawId)} --data ${q(data)} | ${q(process.execPath)} ${q(reader)}`], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout, `run ${run}`).toBe(`${expected.bytes} ${expected.sha}`);
    }
  });

  it('a reader that stops early (`| head -c 100`) is not an error: exit 0, no stack trace', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${cliPath}" draw export "${drawId}" --data "${data}" | head -c 100 | wc -c`], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout.trim()).toBe('100');
    expect(r.stderr).not.toMatch(/EPIPE|at .*\.js:\d+/);
  });
});
