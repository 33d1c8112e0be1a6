import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  excelSerialDate, hashFile, importLimits, importTable, INSPECTOR_COLUMNS, readTable, storeBatchExecutor, storeExecutor, TARGET_COLUMNS,
  type ImportReport, type TableFormat,
} from '../../src/app/registers-io/index.js';
import { getTarget, queryInspectors } from '../../src/projections/registers/index.js';
import { actors, makeUscc } from '../domain/registers/helpers.js';
import { openHarness, type Harness } from '../projections/registers/harness.js';
import { makeZip, sheetXml, xlsxParts } from '../helpers/zip.js';

const TITLE = '沂源县商务局检查对象名录库';
const targetHeaders = Object.values(TARGET_COLUMNS);
const inspectorHeaders = Object.values(INSPECTOR_COLUMNS);
const U1 = makeUscc('91370323MA3C00011');
const U2 = makeUscc('92370323MA3C00012');
const target = (uscc: string, name = '沂源县南麻加油站'): string[] => [uscc, name, '企业', '小型', 'F5265', '南麻街道', 'dept-a', 'B', 'A', '否', '否', '是', '0', '存续'];
const inspector = (id: string, from: string, to: string): string[] => [id, '孙七', 'dept-a', `鲁执-${id}`, from, to, '成品油', '南麻街道', '在岗'];
const utf8 = (lines: string[][]): Uint8Array => new TextEncoder().encode(lines.map((l) => l.join(',')).join('\r\n'));

let h: Harness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

async function run(bytes: Uint8Array, kind: 'targets' | 'inspectors' = 'targets', format: TableFormat = 'csv'): Promise<ImportReport> {
  const table = await readTable(bytes, format);
  return importTable({
    kind, table, fileHash: hashFile(bytes), actor: actors.opA, now: '2026-11-25T08:00:00.000Z',
    execute: storeExecutor(h.store), executeBatch: storeBatchExecutor(h.store),
  });
}

async function xlsx(rows: (string | number | null)[][], merge?: string): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名录库');
  for (const r of rows) ws.addRow(r);
  if (merge) ws.mergeCells(merge);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('when the header row is below a title (issue 8 §2: a title row made every row fail)', () => {
  it('an XLSX whose first row is a merged title cell above the header row imports, rows numbered as in Excel', async () => {
    const bytes = await xlsx([[TITLE], [], targetHeaders, target(U1), target(U2, '')], 'A1:N1');
    const r = await run(bytes, 'targets', 'xlsx');
    expect(r).toMatchObject({ total: 2, created: 1, rejected: 1, missingColumns: [] });
    expect(r.errors[0]).toMatchObject({ row: 5, column: '主体名称' });
    await h.runner.catchUp();
    expect(getTarget(h.db, U1)).toMatchObject({ name: '沂源县南麻加油站' });
  });

  it('a CSV with the same title line above the header imports instead of reporting missing columns', async () => {
    const r = await run(utf8([[TITLE], targetHeaders, target(U1)]));
    expect(r).toMatchObject({ total: 1, created: 1, rejected: 0, missingColumns: [] });
  });

  it('with no header row at all, the error names the row that looked like a title', async () => {
    const err = await readTable(utf8([[TITLE], target(U1)]), 'csv').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'file', row: 1, value: TITLE } });
    expect((err as Error & { messageZh: string }).messageZh).toContain('第1行');
    expect((err as Error & { messageEn: string }).messageEn).toContain('looks like a title');
  });

  it('a duplicate column in the header row itself is still refused, naming the row', async () => {
    const err = await readTable(utf8([[TITLE], [...targetHeaders, '主体名称']]), 'csv').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', details: { column: '主体名称', row: 2 } });
  });
});

describe('when dates are Excel serial numbers or written 年月日 (issue 8 §2: both were refused)', () => {
  it('excelSerialDate: the 1900 date system with its 1900-02-29 shift; four-digit numbers are not serials', () => {
    expect(excelSerialDate('45292')).toBe('2024-01-01');
    expect(excelSerialDate('46053')).toBe('2026-01-31');
    expect(excelSerialDate('10000')).toBe('1927-05-18');
    expect(excelSerialDate('2028')).toBeUndefined();
    expect(excelSerialDate('45292.5')).toBeUndefined();
    expect(excelSerialDate('045292')).toBeUndefined();
  });

  it('L3: 45292 and 2028年12月31日 import as 2024-01-01 and 2028-12-31; impossible dates are reported with the column', async () => {
    const r = await run(
      utf8([
        inspectorHeaders,
        inspector('a1', '45292', '2028年12月31日'),
        inspector('a2', '2028年2月30日', '2029-01-01'),
        inspector('a3', '2028', '2029-01-01'),
        inspector('a4', '45292.5', '2029-01-01'),
      ]),
      'inspectors',
    );
    expect(r).toMatchObject({ total: 4, created: 1, rejected: 3 });
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([[3, '资格有效期起'], [4, '资格有效期起'], [5, '资格有效期起']]);
    await h.runner.catchUp();
    const [a1] = queryInspectors(h.db, { status: ['active'] });
    expect(a1).toMatchObject({ inspectorId: 'a1', qualification: { validFrom: '2024-01-01', validTo: '2028-12-31' } });
  });

  it('L3: an XLSX date cell (a Date in Excel) and a numeric serial cell both import', async () => {
    const bytes = await xlsx([inspectorHeaders, [...inspector('x1', '', '').slice(0, 4), new Date(Date.UTC(2025, 0, 1)) as unknown as string, 47118, '成品油', '南麻街道', '在岗']]);
    const r = await run(bytes, 'inspectors', 'xlsx');
    expect(r).toMatchObject({ created: 1, rejected: 0 });
    await h.runner.catchUp();
    expect(queryInspectors(h.db, { status: ['active'] })[0]).toMatchObject({ qualification: { validFrom: '2025-01-01', validTo: '2028-12-31' } });
  });
});

describe('when cells hold bytes no encoding reads, or control characters (issue 8 §2: stored silently)', () => {
  it('invalid UTF-8 that is not GB18030 either is refused with row and column; the other rows import', async () => {
    const head = new TextEncoder().encode(`${targetHeaders.join(',')}\r\n${target(U1).join(',')}\r\n`);
    const bad = target(U2, 'NAME').join(',').split('NAME');
    const bytes = new Uint8Array([...head, ...new TextEncoder().encode(bad[0]), 0xe6, 0xb2, 0x82, 0xff, ...new TextEncoder().encode(`${bad[1]}\r\n`)]);
    const r = await run(bytes);
    expect(r).toMatchObject({ total: 2, created: 1, rejected: 1 });
    expect(r.errors[0]).toMatchObject({ row: 3, column: '主体名称', code: 'VALIDATION_FAILED' });
    expect(r.errors[0]!.messageEn).toContain('neither valid UTF-8 nor valid GB18030');
  });

  it('a NUL in a name is refused with row, column and the character, shown escaped', async () => {
    const r = await run(utf8([targetHeaders, target(U1, '南麻\u0000加油站'), target(U2, '南麻\u0007站')]));
    expect(r).toMatchObject({ created: 0, rejected: 2 });
    expect(r.errors[0]).toMatchObject({ row: 2, column: '主体名称', value: '南麻\\u0000加油站' });
    expect(r.errors[0]!.messageZh).toContain('U+0000');
    expect(r.errors[1]!.messageEn).toContain('U+0007');
    expect((await h.store.head()).size).toBe(0);
  });
});

describe('when an upload is over a limit (issue 8 §1: a 1.8 MB XLSX unzipped to 417 MB and froze the server)', () => {
  it('a zip bomb XLSX is refused from its central directory, before any inflate, naming maxUncompressedBytes', async () => {
    const limits = importLimits({ maxUncompressedBytes: 1024 * 1024 });
    const bomb = makeZip(xlsxParts({ data: sheetXml(40_000, 3) }));
    expect(bomb.length).toBeLessThan(limits.maxUncompressedBytes);
    await expect(readTable(bomb, 'xlsx', limits)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413, details: { limit: 'maxUncompressedBytes', max: 1024 * 1024 } });
  });

  it('a sheet declaring 417 MB is refused by its declared size alone: its garbage data would otherwise fail as malformed', async () => {
    const liar = makeZip(xlsxParts({ raw: new Uint8Array(1000).fill(0xab), declaredSize: 417 * 1024 * 1024 }));
    await expect(readTable(liar, 'xlsx')).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limit: 'maxUncompressedBytes' } });
    // Regression: past the size check, exceljs's reader never settled on this data; the read is bounded.
    await expect(readTable(liar, 'xlsx', importLimits({ maxUncompressedBytes: 500 * 1024 * 1024, maxXlsxReadMs: 1_000 }))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { limit: 'maxXlsxReadMs' },
    });
  });

  it('a valid XLSX with more rows than maxRows stops at the limit while streaming', async () => {
    const zip = makeZip(xlsxParts({ data: sheetXml(500, 3) }));
    await expect(readTable(zip, 'xlsx', importLimits({ maxRows: 100 }))).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limit: 'maxRows', max: 100 } });
  });

  it('rows wider than maxColumns, and files over maxFileBytes, are refused naming the limit (CSV and XLSX)', async () => {
    const wide = utf8([Array.from({ length: 70 }, (_, i) => `c${i}`)]);
    await expect(readTable(wide, 'csv')).rejects.toMatchObject({ details: { limit: 'maxColumns', max: 64, actual: 70 } });
    await expect(readTable(makeZip(xlsxParts({ data: sheetXml(2, 70) })), 'xlsx')).rejects.toMatchObject({ details: { limit: 'maxColumns' } });
    await expect(readTable(utf8([targetHeaders]), 'csv', importLimits({ maxFileBytes: 10 }))).rejects.toMatchObject({ status: 413, details: { limit: 'maxFileBytes', max: 10 } });
    await expect(readTable(utf8(Array.from({ length: 30 }, () => ['a'])), 'csv', importLimits({ maxRows: 20 }))).rejects.toMatchObject({ details: { limit: 'maxRows' } });
  });

  it('a broken zip is a coded 400, not a raw exception', async () => {
    await expect(readTable(new TextEncoder().encode('PK not really a zip at all'), 'xlsx')).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'file' } });
  });
});
