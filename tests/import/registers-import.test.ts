import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import {
  exportInspectors,
  exportTargets,
  hashFile,
  importTable,
  readTable,
  storeExecutor,
  writeImportReport,
  type ImportReport,
  type TableFormat,
} from '../../src/app/registers-io/index.js';
import { getTarget, poolOf } from '../../src/projections/registers/index.js';
import { actors, makeUscc } from '../domain/registers/helpers.js';
import { openHarness, type Harness } from '../projections/registers/harness.js';

const HEAD = '统一社会信用代码,主体名称,主体类型,经营规模,行业代码,所属区域,管辖部门,风险等级,信用等级,失信,经营异常,重点行业,投诉次数,状态';
const U1 = makeUscc('91370323MA3C00001');
const U2 = makeUscc('92370323MA3C00002');
const U3 = makeUscc('93370323MA3C00003');
const departments = [
  { departmentId: 'dept-a', name: '流通发展科' },
  { departmentId: 'dept-b', name: '市场运行科' },
];

const csv = (...lines: string[]): Uint8Array => new TextEncoder().encode(`\uFEFF${[HEAD, ...lines].join('\r\n')}\r\n`);

let h: Harness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

async function runImport(bytes: Uint8Array, format: TableFormat = 'csv', actor: Actor = actors.opA, kind: 'targets' | 'inspectors' = 'targets'): Promise<ImportReport> {
  const table = await readTable(bytes, format);
  return importTable({ kind, table, fileHash: hashFile(bytes), fileName: `t.${format}`, actor, now: '2026-11-25T08:00:00.000Z', execute: storeExecutor(h.store), departments });
}

const good = [
  `${U1},沂源县南麻加油站,企业,小型,F5265,南麻街道,流通发展科,B,A,否,否,是,0,存续`,
  `${U2},"沂源县历山家政服务部,二店",个体工商户,微型,O8010,历山街道,dept-a,C,B,是,,否,3,存续`,
];

describe('when a target file is imported (L4, L6)', () => {
  it('L4/L6: valid rows become register entries; department names resolve to ids', async () => {
    const r = await runImport(csv(...good));
    expect(r).toMatchObject({ total: 2, created: 2, updated: 0, unchanged: 0, rejected: 0, errors: [] });
    await h.runner.catchUp();
    expect(getTarget(h.db, U2)).toMatchObject({ name: '沂源县历山家政服务部,二店', jurisdiction: 'dept-a', flags: { dishonest: true, abnormalOperation: false, complaintCount: 3 } });
  });

  it('L6: invalid rows are reported with row number, column and a Chinese and English reason; the rest are imported', async () => {
    const badCheck = `${U3.slice(0, 17)}${U3[17] === 'A' ? 'B' : 'A'}`;
    const r = await runImport(
      csv(
        good[0]!,
        `${badCheck},坏代码商店,企业,小型,F5211,鲁村镇,dept-a,A,A,否,否,否,0,存续`,
        `${U3.toLowerCase()},小写代码,企业,小型,F5211,鲁村镇,dept-a,A,A,否,否,否,0,存续`,
        `${U3},多处错误,公司,巨型,5211,鲁村镇,未知科,E,A,也许,否,否,-1,存续`,
        good[0]!,
      ),
    );
    expect(r).toMatchObject({ total: 5, created: 1, rejected: 4 });
    const byRow = (row: number) => r.errors.filter((e) => e.row === row);
    expect(byRow(3)).toEqual([expect.objectContaining({ column: '统一社会信用代码', messageZh: expect.stringContaining('校验码错误'), messageEn: expect.stringContaining('check character') })]);
    expect(byRow(4)[0]?.messageZh).toContain('小写');
    expect(byRow(5).map((e) => e.column)).toEqual(['主体类型', '经营规模', '行业代码', '管辖部门', '风险等级', '失信', '投诉次数']);
    for (const e of r.errors) {
      expect(e.messageZh).toMatch(/[\u4e00-\u9fff]/);
      // English text; it may quote the Chinese column and values the file uses.
      expect(e.messageEn).toMatch(/\b(must|is|has|contains|duplicate|unknown)\b/);
    }
    expect(byRow(6)).toEqual([expect.objectContaining({ messageZh: '与第2行重复', messageEn: 'duplicate of row 2' })]);
  });

  it('L4: a row for another department\'s jurisdiction is refused for an operator and reported', async () => {
    const r = await runImport(csv(good[0]!, `${U3},别人的商店,企业,小型,F5211,鲁村镇,市场运行科,A,A,否,否,否,0,存续`));
    expect(r).toMatchObject({ created: 1, rejected: 1 });
    expect(r.errors[0]).toMatchObject({ row: 3, code: 'FORBIDDEN', column: '管辖部门' });
  });

  it('L4: re-importing the same file changes nothing (no events appended)', async () => {
    const file = csv(...good);
    await runImport(file);
    const size = (await h.store.head()).size;
    const again = await runImport(file);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2, rejected: 0 });
    expect((await h.store.head()).size).toBe(size);
  });

  it('L4: a changed row produces only the change (and a status change)', async () => {
    await runImport(csv(...good));
    const size = (await h.store.head()).size;
    const r = await runImport(csv(good[0]!.replace(',B,A,', ',D,A,').replace(/存续$/, '注销'), good[1]!));
    expect(r).toMatchObject({ updated: 1, unchanged: 1 });
    const stream = await h.store.readStream(`target-${U1}`);
    expect(stream.slice(1).map((e) => [e.type, e.payload])).toEqual([
      ['TargetUpdated', { uscc: U1, changes: { riskLevel: 'D' }, reason: '导入 import t.csv 第2行' }],
      ['TargetStatusChanged', { uscc: U1, from: 'active', status: 'deregistered', reason: '导入 import t.csv 第2行' }],
    ]);
    expect((await h.store.head()).size).toBe(size + 2);
  });

  it('a file without a required column is reported and imports nothing', async () => {
    const bytes = new TextEncoder().encode('统一社会信用代码,主体名称,备注\r\n' + `${U1},某店,无\r\n`);
    const r = await runImport(bytes);
    expect(r.missingColumns).toContain('管辖部门');
    expect(r.ignoredColumns).toEqual(['备注']);
    expect(r.rejected).toBe(1);
    expect((await h.store.head()).size).toBe(0);
  });

  it('a GB18030-encoded CSV (older Excel on Chinese Windows) is read', async () => {
    // Encoded with Node's ICU via a round trip through the decoder's inverse is not available; use known GBK bytes.
    const gbkHead = Uint8Array.from([0xd6, 0xf7, 0xcc, 0xe5, 0xc3, 0xfb, 0xb3, 0xc6]); // 主体名称
    const table = await readTable(Uint8Array.from([...gbkHead, 0x0d, 0x0a, 0x41, 0x0d, 0x0a]), 'csv');
    expect(table.headers).toEqual(['主体名称']);
    expect(table.rows).toEqual([{ rowNumber: 2, cells: { 主体名称: 'A' } }]);
  });

  it('malformed CSV is a coded error, not a raw exception', async () => {
    await expect(readTable(new TextEncoder().encode('a,b\n"x,y\n'), 'csv')).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'file' } });
  });

  it('the report is written next to the input as JSON and CSV', async () => {
    const r = await runImport(csv(`${U3},x,公司,小型,F5211,鲁村镇,dept-a,A,A,否,否,否,0,存续`));
    const paths = writeImportReport(join(h.dir, 'targets.csv'), r);
    expect(existsSync(paths.json) && existsSync(paths.csv)).toBe(true);
    const text = readFileSync(paths.csv, 'utf8');
    expect(text).toContain('行号,列,错误代码,原值,错误说明,Error');
    expect(text).toContain('2,主体类型,VALIDATION_FAILED,公司');
  });
});

describe('export round trip (L4, L3)', () => {
  it.each(['csv', 'xlsx'] as const)('L4: an exported %s re-imports unchanged, including formula-like names', async (format) => {
    const tricky = `${U3},"=HYPERLINK(""x"")",企业,大型,C4210,"鲁村镇",dept-a,A,D,否,是,否,12,吊销`;
    await runImport(csv(...good, tricky));
    await h.runner.catchUp();
    const exported = await exportTargets(h.db, { format, departments });
    const size = (await h.store.head()).size;
    const again = await runImport(exported, format);
    expect(again).toMatchObject({ total: 3, unchanged: 3, created: 0, updated: 0, rejected: 0 });
    expect((await h.store.head()).size).toBe(size);
    expect(getTarget(h.db, U3)?.name).toBe('=HYPERLINK("x")');
    expect(poolOf(h.db, { status: ['licenceRevoked'] })).toEqual([U3]);
  });

  it.each(['csv', 'xlsx'] as const)('L3: inspectors import, then an exported %s re-imports unchanged', async (format) => {
    const head = '执法人员编号,姓名,所属部门,执法证号,资格有效期起,资格有效期止,专业领域,所属区域,状态';
    const bytes = new TextEncoder().encode(
      [head, 'YY001,李四,流通发展科,鲁执370323001,2024/1/1,2027-12-31,成品油、预付卡,南麻街道,在岗', 'YY002,王五,dept-a,鲁执370323002,2026-01-01,2025-12-31,,历山街道,在岗', 'YY003,赵六,dept-a,鲁执370323003,2024-02-30,2027-01-01,拍卖,鲁村镇,在岗'].join('\n'),
    );
    const r = await runImport(bytes, 'csv', actors.opA, 'inspectors');
    expect(r).toMatchObject({ created: 1, rejected: 2 });
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([[3, '资格有效期止'], [4, '资格有效期起']]);
    await h.runner.catchUp();
    const exported = await exportInspectors(h.db, { format, departments });
    const again = await runImport(exported, format, actors.opA, 'inspectors');
    expect(again).toMatchObject({ total: 1, unchanged: 1, rejected: 0 });
  });
});
