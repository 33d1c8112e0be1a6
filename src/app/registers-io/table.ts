import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { SuijiError } from '../../domain/errors.js';

/** A spreadsheet as read: header names and data rows keyed by header, with the row number a user sees. */
export interface Table {
  readonly headers: readonly string[];
  readonly rows: readonly { readonly rowNumber: number; readonly cells: Readonly<Record<string, string>> }[];
}

export type TableFormat = 'csv' | 'xlsx';

/** Too many rows is refused before any work: a register of a county is well under this. */
export const MAX_ROWS = 500_000;

const fileError = (zh: string, en: string, details: Record<string, unknown> = {}): SuijiError =>
  new SuijiError('VALIDATION_FAILED', { field: 'file', ...details }, { zh: `导入文件无法读取：${zh}`, en: `Import file unreadable: ${en}` });

export const formatOf = (fileName: string): TableFormat | undefined =>
  /\.xlsx$/i.test(fileName) ? 'xlsx' : /\.(csv|txt)$/i.test(fileName) ? 'csv' : undefined;

/**
 * Bureau spreadsheets come as UTF-8 (often with a BOM, from Excel) or as GB18030/GBK (older
 * Excel "CSV" on Chinese Windows). Strict UTF-8 first; if that fails, GB18030.
 */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function toTable(records: { cells: string[]; rowNumber: number }[]): Table {
  const [head, ...body] = records;
  if (!head) throw fileError('没有表头行', 'no header row');
  const headers = head.cells.map((h) => h.trim());
  const seen = new Set<string>();
  for (const h of headers) {
    if (h && seen.has(h)) throw fileError(`表头重复：${h}`, `duplicate header ${h}`, { column: h });
    seen.add(h);
  }
  if (body.length > MAX_ROWS) throw fileError(`行数超过 ${MAX_ROWS}`, `more than ${MAX_ROWS} rows`);
  const rows = body
    .filter((r) => r.cells.some((c) => c.trim() !== ''))
    .map((r) => {
      const cells: Record<string, string> = {};
      headers.forEach((h, i) => {
        if (h) cells[h] = (r.cells[i] ?? '').trim();
      });
      return { rowNumber: r.rowNumber, cells };
    });
  return { headers: headers.filter((h) => h !== ''), rows };
}

export function readCsv(bytes: Uint8Array): Table {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    // With `info: true` each record is { record, info }; csv-parse's sync typings do not model that option.
    parsed = parse(decodeText(bytes), { bom: true, info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as typeof parsed;
  } catch (e) {
    // Hostile or broken CSV: a coded error, never a raw parser exception (STYLE habit 6).
    throw fileError('CSV 格式错误', 'malformed CSV', { reason: e instanceof Error ? e.message.slice(0, 200) : 'unknown' });
  }
  return toTable(parsed.map((p) => ({ cells: p.record, rowNumber: p.info.lines })));
}

/** Cell text as the importer expects it: dates as YYYY-MM-DD, numbers as written, rich text flattened. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((t) => t.text).join('');
  if (typeof v === 'object' && 'text' in v && typeof v.text === 'string') return v.text;
  if (typeof v === 'object' && 'result' in v) return v.result === undefined || v.result === null ? '' : cellText(v.result as ExcelJS.CellValue);
  return '';
}

export async function readXlsx(bytes: Uint8Array): Promise<Table> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (e) {
    throw fileError('XLSX 格式错误', 'malformed XLSX', { reason: e instanceof Error ? e.message.slice(0, 200) : 'unknown' });
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw fileError('工作簿没有工作表', 'the workbook has no sheet');
  const records: { cells: string[]; rowNumber: number }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value));
    records.push({ cells, rowNumber });
  });
  return toTable(records);
}

export const readTable = async (bytes: Uint8Array, format: TableFormat): Promise<Table> => (format === 'csv' ? readCsv(bytes) : readXlsx(bytes));
