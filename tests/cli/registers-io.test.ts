import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { usccCheckChar } from '../../src/domain/uscc.js';
import { tempDir } from '../helpers/temp-dir.js';
import { runCli } from './run-cli.js';
import { ledgerHead as head } from './seeded.js';

/**
 * `suiji import|export|demo` over the built binary (`npm run build` first), on real ledgers
 * in temp dirs. One 2,000-target demo ledger is shared by the read-only checks.
 */
const dirs: { remove: () => void }[] = [];
const dir = (): string => {
  const d = tempDir('suiji-cli-io-');
  dirs.push(d);
  return d.path;
};
afterAll(() => dirs.splice(0).forEach((d) => d.remove()));

/** A ledger with departments, users and people but no targets: what importing a register needs (管辖部门 must be known). */
const departmentsOnly = (): string => {
  const d = dir();
  const r = runCli(['demo', 'seed', '--targets', '0', '--data', d]);
  expect(r.status, r.stderr).toBe(0);
  return d;
};

const valid = (first17: string): string => first17 + usccCheckChar(first17);
/** The demo's administrator (src/cli/demo/generate.ts): CLI imports act as a registered user (issue 8 §2). */
const ADMIN = 'yy-admin';
const HEADER = '统一社会信用代码,主体名称,主体类型,经营规模,行业代码,所属区域,管辖部门,风险等级,信用等级,失信,经营异常,重点行业,投诉次数,状态';

let seeded: string;
let files: string;
let exported: Buffer;

beforeAll(() => {
  seeded = dir();
  files = dir();
  const r = runCli(['demo', 'seed', '--targets', '2000', '--data', seeded]);
  expect(r.status, r.stderr).toBe(0);
  const e = runCli(['export', 'targets', join(files, 'x.csv'), '--data', seeded]);
  expect(e.status, e.stderr).toBe(0);
  exported = readFileSync(join(files, 'x.csv'));
});

describe('suiji demo seed', () => {
  it('G3/L4/L6: seeds 2,000 demo targets into an empty ledger and exports every one with a header row', async () => {
    expect((await head(seeded)).size).toBeGreaterThan(2000);
    const lines = exported.toString('utf8').replace(/^\uFEFF/, '').trimEnd().split(/\r?\n/);
    expect(lines[0]).toBe(HEADER);
    expect(lines).toHaveLength(2001);
  });

  it('refuses a ledger that already has events, with a coded bilingual error, and writes nothing', async () => {
    const before = await head(seeded);
    const r = runCli(['demo', 'seed', '--targets', '10', '--data', seeded]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('RULE_VIOLATION');
    expect(r.stderr).toContain('演示数据只能写入空账本');
    expect(r.stderr).toContain('demo data is only seeded into an empty ledger');
    expect(await head(seeded)).toEqual(before);
  });

  it('refuses an absurd --targets before touching the data directory', () => {
    const d = join(dir(), 'not-created');
    const r = runCli(['demo', 'seed', '--targets', '99999999', '--data', d]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('VALIDATION_FAILED');
    expect(r.stderr).toContain('演示对象数不能超过 500000');
    expect(existsSync(d)).toBe(false);
  });

  it('--targets 0 seeds departments and people only (the departments an import needs)', () => {
    const d = departmentsOnly();
    const r = runCli(['export', 'targets', join(d, 't.csv'), '--data', d]);
    expect(r.status).toBe(0);
    expect(readFileSync(join(d, 't.csv'), 'utf8').replace(/^\uFEFF/, '').trim()).toBe(HEADER);
  });
});

describe('suiji export → import (G3, L4 idempotent re-import)', () => {
  it('L4: re-importing an export into the same ledger changes nothing: every row unchanged, ledger head identical', async () => {
    const before = await head(seeded);
    const path = join(files, 'same.csv');
    writeFileSync(path, exported);
    const r = runCli(['import', 'targets', path, '--data', seeded, '--user', ADMIN]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('未变 2000，拒绝 0');
    expect(await head(seeded)).toEqual(before);
    const report = JSON.parse(readFileSync(`${path}.report.json`, 'utf8')) as { unchanged: number; errors: unknown[] };
    expect(report).toMatchObject({ unchanged: 2000, errors: [] });
  });

  it('L4: export → import into a fresh ledger (departments seeded) reproduces the export byte for byte; a second import there is a no-op', async () => {
    const fresh = departmentsOnly();
    const path = join(files, 'to-fresh.csv');
    writeFileSync(path, exported);
    const r = runCli(['import', 'targets', path, '--data', fresh, '--user', ADMIN]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('新增 2000');
    const again = runCli(['export', 'targets', join(files, 'from-fresh.csv'), '--data', fresh]);
    expect(again.status).toBe(0);
    expect(readFileSync(join(files, 'from-fresh.csv')).equals(exported)).toBe(true);
    const before = await head(fresh);
    expect(runCli(['import', 'targets', path, '--data', fresh, '--user', ADMIN]).stdout).toContain('未变 2000');
    expect(await head(fresh)).toEqual(before);
  });

  it('issue 8 §2: on a ledger with no users at all an import is refused naming --user (G3: nobody registered to act as), and nothing is written', async () => {
    const empty = dir();
    const path = join(files, 'to-empty.csv');
    writeFileSync(path, `${HEADER}\n${exported.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[1]}\n`);
    const r = runCli(['import', 'targets', path, '--data', empty, '--user', ADMIN]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('错误 / error UNAUTHENTICATED');
    expect(r.stderr).toContain('"field":"--user"');
    expect(r.stderr).toContain('userUnregistered');
    expect(existsSync(`${path}.report.json`)).toBe(false);
    expect((await head(empty)).size).toBe(0);
  });

  it('L4: XLSX round trip: export .xlsx → import into a fresh ledger → the same CSV export', () => {
    const xlsx = join(files, 'x.xlsx');
    expect(runCli(['export', 'targets', xlsx, '--data', seeded]).status).toBe(0);
    expect(readFileSync(xlsx).subarray(0, 2).toString('latin1')).toBe('PK');
    const fresh = departmentsOnly();
    const r = runCli(['import', 'targets', xlsx, '--data', fresh, '--user', ADMIN]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('新增 2000');
    expect(runCli(['export', 'targets', join(files, 'from-xlsx.csv'), '--data', fresh]).status).toBe(0);
    expect(readFileSync(join(files, 'from-xlsx.csv')).equals(exported)).toBe(true);
  });

  it('L3: the inspector register re-imports unchanged from CSV and XLSX', async () => {
    const before = await head(seeded);
    for (const name of ['i.csv', 'i.xlsx']) {
      const path = join(files, name);
      expect(runCli(['export', 'inspectors', path, '--data', seeded]).status).toBe(0);
      const r = runCli(['import', 'inspectors', path, '--data', seeded, '--user', ADMIN]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/未变 40，拒绝 0/);
    }
    expect(await head(seeded)).toEqual(before);
  });
});

describe('suiji import with bad rows (L6)', () => {
  it('L6: exits 1, writes <file>.report.json and .report.csv with row, column and a bilingual reason, and imports the valid rows', async () => {
    const d = departmentsOnly();
    const good = valid('91370323MA0000001');
    const badCheck = valid('91370323MA0000002').slice(0, 17) + (valid('91370323MA0000002').endsWith('0') ? '1' : '0');
    const path = join(d, 'bad.csv');
    writeFileSync(
      path,
      [
        HEADER,
        `${good},沂源县测试超市有限公司,企业,小型,F5212,南麻街道,yy-swj-scyx,B,A,否,否,否,0,存续`,
        `${badCheck},沂源县校验码错误商店,个体工商户,微型,F5212,南麻街道,yy-swj-scyx,B,A,否,否,否,0,存续`,
        `${valid('91370323MA0000003')},沂源县风险等级错误商店,个体工商户,微型,F5212,南麻街道,市场运行和消费促进科,E,A,否,否,否,0,存续`,
        '',
      ].join('\n'),
    );
    const before = await head(d);
    const r = runCli(['import', 'targets', path, '--data', d, '--user', 'yy-swj-scyx-op']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('新增 1');
    expect(r.stdout).toContain('拒绝 2');
    const report = JSON.parse(readFileSync(`${path}.report.json`, 'utf8')) as {
      created: number;
      rejected: number;
      errors: { row: number; column: string; code: string; messageZh: string; messageEn: string; value?: string }[];
    };
    expect(report.created).toBe(1);
    expect(report.rejected).toBe(2);
    expect(report.errors).toHaveLength(2);
    expect(report.errors[0]).toMatchObject({ row: 3, column: '统一社会信用代码', code: 'VALIDATION_FAILED', value: badCheck });
    expect(report.errors[0]!.messageZh).toContain('L6：统一社会信用代码校验码错误');
    expect(report.errors[0]!.messageEn).toContain('L6: the credit code has a wrong check character');
    expect(report.errors[1]).toMatchObject({ row: 4, column: '风险等级' });
    const csv = readFileSync(`${path}.report.csv`, 'utf8').replace(/^\uFEFF/, '');
    expect(csv.split(/\r?\n/)[0]).toBe('行号,列,错误代码,原值,错误说明,Error');
    expect(csv).toContain(`3,统一社会信用代码,VALIDATION_FAILED,${badCheck},L6：统一社会信用代码校验码错误`);
    // Only the valid row reached the ledger.
    expect((await head(d)).size).toBe(before.size + 1);
    expect(runCli(['export', 'targets', join(d, 'after.csv'), '--data', d]).status).toBe(0);
    const after = readFileSync(join(d, 'after.csv'), 'utf8');
    expect(after).toContain(good);
    expect(after).not.toContain('风险等级错误商店');
    expect(existsSync(join(d, 'bad.csv.report.csv'))).toBe(true);
  });
});

describe('suiji import/export usage errors', () => {
  const cases: [string, string[], string, string, string][] = [
    ['an unknown kind', ['import', 'widgets', 'x.csv'], 'VALIDATION_FAILED', '类型必须是 targets 或 inspectors', 'kind must be targets or inspectors'],
    ['a bad extension', ['import', 'targets', 'x.pdf'], 'VALIDATION_FAILED', '文件名必须以 .csv 或 .xlsx 结尾', 'the file name must end in .csv or .xlsx'],
    ['a missing file', ['import', 'targets', 'no-such-file.csv', '--user', ADMIN], 'NOT_FOUND', '无法读取文件', 'cannot read'],
    ['an unknown kind on export', ['export', 'widgets', 'x.csv'], 'VALIDATION_FAILED', '类型必须是', 'kind must be'],
    ['a bad extension on export', ['export', 'targets', 'x.json'], 'VALIDATION_FAILED', '.csv 或 .xlsx', '.csv or .xlsx'],
    ['an unwritable export path', ['export', 'targets', '/no/such/dir/x.csv'], 'VALIDATION_FAILED', '无法写入文件', 'cannot write'],
  ];
  for (const [what, args, code, zh, en] of cases) {
    it(`${what}: exit 2 with a coded bilingual error; the ledger is unchanged`, async () => {
      const before = await head(seeded);
      const r = runCli([...args.slice(0, 2), args[2]!.startsWith('/') ? args[2]! : join(files, args[2]!), ...args.slice(3), '--data', seeded]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`错误 / error ${code}`);
      expect(r.stderr).toContain(zh);
      expect(r.stderr).toContain(en);
      expect(await head(seeded)).toEqual(before);
    });
  }

  it('a malformed CSV is refused with a coded error and no report', () => {
    const path = join(files, 'broken.csv');
    writeFileSync(path, `${HEADER}\n"unterminated,quote\n`);
    const r = runCli(['import', 'targets', path, '--data', seeded, '--user', ADMIN]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('导入文件无法读取');
    expect(existsSync(`${path}.report.json`)).toBe(false);
  });
});
