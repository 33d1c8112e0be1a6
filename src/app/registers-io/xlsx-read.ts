import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { SuijiError } from '../../domain/errors.js';
import { TimeSlice } from '../../store/time-slice.js';
import { importLimits, limitExceeded, type ImportLimits } from './limits.js';
import { fileError, toTable, type RawRecord, type Table } from './table.js';
import { checkZip } from './zip-guard.js';

/** Cell text as the importer expects it: dates as YYYY-MM-DD, numbers as written, rich text flattened. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && 'richText' in v && Array.isArray(v.richText)) return v.richText.map((t) => t.text).join('');
  if (typeof v === 'object' && 'text' in v && typeof v.text === 'string') return v.text;
  if (typeof v === 'object' && 'result' in v) return v.result === undefined || v.result === null ? '' : cellText(v.result as ExcelJS.CellValue);
  return '';
}

/**
 * The first sheet, read as a stream (exceljs WorkbookReader): rows are inflated and parsed as
 * they come, counted against the row and column limits, and the read stops at the first limit
 * passed. Before that, the zip's central directory is checked against the uncompressed-size
 * limit (zip-guard.ts), so a zip bomb is refused without inflating it (issue 8 §1).
 */
export async function readXlsx(bytes: Uint8Array, limits: ImportLimits = importLimits()): Promise<Table> {
  if (bytes.length > limits.maxFileBytes) throw limitExceeded('maxFileBytes', limits.maxFileBytes, bytes.length);
  checkZip(bytes, limits);
  const records: RawRecord[] = [];
  const slice = new TimeSlice();
  let sheets = 0;
  let timer: NodeJS.Timeout | undefined;
  const input = Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]);
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      input.destroy();
      reject(fileError('XLSX 数据损坏，读取未能完成', 'corrupt XLSX data: the read did not complete', { limit: 'maxXlsxReadMs', max: limits.maxXlsxReadMs }));
    }, limits.maxXlsxReadMs);
  });
  const read = async (): Promise<void> => {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'cache',
      entries: 'ignore',
    });
    for await (const sheet of reader) {
      sheets++;
      for await (const row of sheet) {
        await slice.pass();
        if (records.length >= limits.maxRows) throw limitExceeded('maxRows', limits.maxRows);
        // row.values is 1-based and sparse; its length is the last filled column + 1.
        const values = row.values as ExcelJS.CellValue[];
        if (values.length - 1 > limits.maxColumns) throw limitExceeded('maxColumns', limits.maxColumns, values.length - 1);
        const cells: string[] = [];
        for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]));
        records.push({ cells, rowNumber: row.number });
      }
      break; // the first sheet is the register
    }
  };
  const reading = read();
  reading.catch(() => undefined); // settled or abandoned after a timeout: never an unhandled rejection
  try {
    await Promise.race([reading, stalled]);
  } catch (e) {
    if (e instanceof SuijiError) throw e;
    throw fileError('XLSX 格式错误', 'malformed XLSX', { reason: e instanceof Error ? e.message.slice(0, 200) : 'unknown' });
  } finally {
    clearTimeout(timer);
  }
  if (sheets === 0) throw fileError('工作簿没有工作表', 'the workbook has no sheet');
  if (records.some((r) => r.cells.some((c) => c.includes('\uFFFD')))) return toTable(await readWhole(bytes, limits));
  return toTable(records);
}

/**
 * exceljs's stream reader decodes each inflated chunk on its own (lib/utils/parse-sax.js), so a
 * Chinese character split across two chunks comes out as U+FFFD: found when an exported XLSX of
 * 2,000 demo targets re-imported with 利民百货有限��司 (tests/cli/registers-io.test.ts). A real
 * register never holds U+FFFD, so when one appears the file is read again whole (exceljs load:
 * each part decoded in one piece). The central-directory check above bounds that read.
 */
async function readWhole(bytes: Uint8Array, limits: ImportLimits): Promise<RawRecord[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (e) {
    throw fileError('XLSX 格式错误', 'malformed XLSX', { reason: e instanceof Error ? e.message.slice(0, 200) : 'unknown' });
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw fileError('工作簿没有工作表', 'the workbook has no sheet');
  if (sheet.rowCount > limits.maxRows) throw limitExceeded('maxRows', limits.maxRows, sheet.rowCount);
  if (sheet.columnCount > limits.maxColumns) throw limitExceeded('maxColumns', limits.maxColumns, sheet.columnCount);
  const records: RawRecord[] = [];
  const slice = new TimeSlice();
  for (let n = 1; n <= sheet.rowCount; n++) {
    await slice.pass();
    const row = sheet.getRow(n);
    if (row.cellCount === 0) continue;
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value));
    records.push({ cells, rowNumber: n });
  }
  return records;
}
