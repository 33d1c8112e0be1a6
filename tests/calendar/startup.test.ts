import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../../src/cli/runtime.js';
import { runCli } from '../cli/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const dirs: Array<ReturnType<typeof tempDir>> = [];
let rt: Runtime | undefined;
afterEach(async () => {
  await rt?.close();
  rt = undefined;
  for (const d of dirs.splice(0)) d.remove();
});

const dataDirWith = (name: string, content: unknown): string => {
  const d = tempDir('suiji-calendar-start-');
  dirs.push(d);
  mkdirSync(join(d.path, 'calendar'));
  writeFileSync(join(d.path, 'calendar', name), JSON.stringify(content));
  return d.path;
};

describe('the calendar at start-up', () => {
  it('A4: the runtime every command opens carries the data directory’s 2027 file', async () => {
    const data = dataDirWith('holidays-2027.json', { year: 2027, source: '测试用', holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [] });
    rt = await openRuntime(data);
    expect(rt.calendar.covers(2027)).toBe(true);
    expect(rt.calendar.addWorkingDays('2026-12-31', 1)).toEqual({ date: '2027-01-04', provisional: false, missingYears: [] });
  });

  it('A4: `suiji serve` with a bad holiday file exits with the coded error naming file and field, before opening the ledger', () => {
    const data = dataDirWith('holidays-2027.json', { year: 2027, holidays: [], workdays: [] });
    const r = runCli(['serve', '--data', data, '--port', '0']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('VALIDATION_FAILED');
    expect(r.stderr).toContain('holidays-2027.json/source');
    expect(r.stderr).toMatch(/输入不符合要求/);
    expect(readdirSync(data)).toEqual(['calendar']);
    expect(existsSync(join(data, 'suiji.db'))).toBe(false);
  });
});
