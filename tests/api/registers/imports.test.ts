import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSPECTOR_COLUMNS, TARGET_COLUMNS } from '../../../src/app/registers-io/index.js';
import { usccCheckChar } from '../../../src/domain/uscc.js';
import { freshUscc, openHarness, type Harness } from './harness.js';

const headers = Object.values(TARGET_COLUMNS);
const row = (uscc: string, jurisdiction: string, name = '沂源县示范加油站有限公司'): string[] =>
  [uscc, name, '企业', '小型', 'F5265', '南麻街道', jurisdiction, 'B', 'A', '否', '否', '是', '0', '存续'];
const csv = (rows: string[][]): string => [headers, ...rows].map((r) => r.join(',')).join('\r\n');
const csvHeaders = { 'content-type': 'text/csv; charset=utf-8' };

describe('POST /imports: register spreadsheets over HTTP (L3, L4, L6)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('L6/L4: a CSV body imports the valid rows and reports each refused row with row, column and a bilingual reason', async () => {
    const good = freshUscc();
    const body17 = freshUscc().slice(0, 17);
    const badCheck = body17 + (usccCheckChar(body17) === '0' ? '1' : '0');
    const foreign = freshUscc();
    const body = csv([row(good, 'dept-a'), row(badCheck, 'dept-a'), row(foreign, 'dept-b')]);
    const res = await h.call('opA', 'POST', '/imports?kind=targets&fileName=targets.csv', body, csvHeaders);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ kind: 'targets', fileName: 'targets.csv', total: 3, created: 1, rejected: 2, missingColumns: [], ignoredColumns: [] });
    const [l6, l4] = report.errors;
    expect(l6).toMatchObject({ row: 3, column: '统一社会信用代码' });
    expect(l6.messageZh).toContain('L6');
    expect(l6.messageEn).toContain('credit code');
    expect(l4).toMatchObject({ row: 4, column: '管辖部门', code: 'FORBIDDEN' });
    expect((await h.call('opA', 'GET', `/targets/${good}`)).statusCode).toBe(200);
    expect((await h.call('opA', 'GET', `/targets/${foreign}`)).statusCode).toBe(404);
    const history = (await h.call('auditor', 'GET', `/targets/${good}/history`)).json();
    expect(history.events[0].actor).toEqual({ userId: 'op-a', role: 'operator', department: 'dept-a' });
  });

  it('re-importing the same file changes nothing (deterministic command ids)', async () => {
    const body = csv([row(freshUscc(), 'dept-a')]);
    expect((await h.call('opA', 'POST', '/imports?kind=targets', body, csvHeaders)).json().created).toBe(1);
    const before = await h.head();
    const again = (await h.call('opA', 'POST', '/imports?kind=targets', body, csvHeaders)).json();
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 1, rejected: 0 });
    expect(await h.head()).toEqual(before);
  });

  it('L3: an XLSX of inspectors sent as JSON base64 is imported', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('执法人员');
    sheet.addRow(Object.values(INSPECTOR_COLUMNS));
    sheet.addRow(['sun', '孙七', 'dept-a', '鲁执-9', '2025-01-01', '2028-12-31', '成品油、计量', '南麻街道', '在岗']);
    sheet.addRow(['qian', '钱八', 'dept-a', '鲁执-10', '2028-01-01', '2025-12-31', '食品', '南麻街道', '在岗']);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await h.call('opA', 'POST', '/imports', { kind: 'inspectors', format: 'xlsx', contentBase64: bytes.toString('base64'), fileName: '人员.xlsx' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'inspectors', total: 2, created: 1, rejected: 1 });
    expect(res.json().errors[0]).toMatchObject({ row: 3, column: '资格有效期止' });
    expect((await h.call('auditor', 'GET', '/inspectors/sun')).json().expertise).toEqual(['成品油', '计量']);
  });

  it('refuses what it cannot read with a coded 4xx and writes nothing', async () => {
    const before = await h.head();
    const cases: [string, string, unknown, Record<string, string>, number][] = [
      ['anonymous', '/imports?kind=targets', csv([]), csvHeaders, 401],
      ['auditor', '/imports?kind=targets', csv([row(freshUscc(), 'dept-a')]), csvHeaders, 403],
      ['inspectorA', '/imports', { kind: 'inspectors', format: 'csv', contentBase64: 'YQ==' }, {}, 403],
      ['opA', '/imports', csv([]), csvHeaders, 400],
      ['opA', '/imports?kind=plans', csv([]), csvHeaders, 400],
      ['opA', '/imports', { kind: 'targets', format: 'csv', contentBase64: '%%%' }, {}, 400],
      ['opA', '/imports', { kind: 'targets', format: 'xlsx', contentBase64: 'bm90IGEgemlw' }, {}, 400],
      ['opA', '/imports', { kind: 'targets', format: 'csv' }, {}, 400],
      ['opA', '/imports?kind=targets', '"unterminated,quote\r\nx', csvHeaders, 400],
      ['opA', '/imports?kind=targets', 'a,b', { 'content-type': 'application/xml' }, 415],
    ];
    for (const [who, url, body, headers, status] of cases) {
      const res = await h.call(who as 'opA', 'POST', url, body, headers);
      expect(res.statusCode, `${who} ${url} ${res.body}`).toBe(status);
      expect(res.json()).toHaveProperty('error');
    }
    expect(await h.head()).toEqual(before);
  });

  it('L4: a file larger than one batch keeps one outcome per row, in row order, and the ledger holds exactly the accepted rows', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => row(freshUscc(), i % 100 === 7 ? 'dept-b' : 'dept-a'));
    const before = await h.head();
    const report = (await h.call('opA', 'POST', '/imports?kind=targets', csv(rows), csvHeaders)).json();
    expect(report).toMatchObject({ total: 1200, created: 1188, rejected: 12 });
    expect(report.errors.map((e: { row: number }) => e.row)).toEqual(Array.from({ length: 12 }, (_, k) => k * 100 + 9));
    expect(report.errors.every((e: { code: string }) => e.code === 'FORBIDDEN')).toBe(true);
    expect((await h.head()).size).toBe(before.size + 1188);
  });

  it('a CSV missing a column is reported, not half-imported', async () => {
    const body = [headers.slice(1), row(freshUscc(), 'dept-a').slice(1)].map((r) => r.join(',')).join('\n');
    const report = (await h.call('opA', 'POST', '/imports?kind=targets', body, csvHeaders)).json();
    expect(report).toMatchObject({ missingColumns: ['统一社会信用代码'], created: 0, rejected: 1 });
  });
});
