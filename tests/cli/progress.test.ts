/**
 * Issue 8 §4: the import progress bar is cli-progress on stderr, drawn only on a terminal;
 * piped or redirected output stays clean. The terminal is a real pseudo-terminal (util-linux
 * `script`).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cliPath, runCli } from './run-cli.js';
import { SeededLedgers } from './seeded.js';

const ledgers = new SeededLedgers();
afterAll(() => ledgers.remove());

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

function exported(): { data: string; file: string } {
  const data = ledgers.copy(500);
  const file = join(data, 'targets.csv');
  expect(runCli(['export', 'targets', file, '--data', data]).status).toBe(0);
  return { data, file };
}

describe('issue 8 §4: the import progress bar', () => {
  it('is not drawn when stderr is not a terminal: no bar frames, no carriage returns or escape codes', () => {
    const { data, file } = exported();
    const r = runCli(['import', 'targets', file, '--user', 'yy-admin', '--data', data]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(/[\r\u001b]|importing/);
    expect(r.stdout).toContain('未变 500');
  });

  it.runIf(hasScript)('is drawn on a terminal, up to the whole file', () => {
    const { data, file } = exported();
    const command = [process.execPath, cliPath, 'import', 'targets', file, '--user', 'yy-admin', '--data', data].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('导入中 importing [');
    expect(r.stdout).toContain('500/500 100%');
  });
});
