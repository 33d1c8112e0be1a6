import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { SuijiError } from '../../domain/errors.js';
import { TimeSlice } from '../../store/time-slice.js';
import { importLimits, limitExceeded, type ImportLimits } from './limits.js';
import { fileError, toTable, type RawRecord, type Table } from './table.js';
import type { Source } from './source.js';
import { excel } from './excel.js';
import { CompactStrings, sharedStringsView } from './shared-strings.js';
import { checkZip, checkZipSource } from './zip-guard.js';
import { sheetsLast } from './zip-order.js';

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
  const { stream } = await excel();
  const read = async (): Promise<void> => {
    const reader = new stream.xlsx.WorkbookReader(input, {
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
  const wb = new (await excel()).Workbook();
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

/** Bytes at the end of `b` that start a UTF-8 sequence the chunk does not finish (0 to 3). */
export function incompleteUtf8Tail(b: Uint8Array): number {
  for (let k = 1; k <= Math.min(3, b.length); k++) {
    const c = b[b.length - k]!;
    if ((c & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > k ? k : 0;
  }
  return 0;
}

/**
 * Re-cuts inflated chunks at UTF-8 character boundaries. exceljs's stream reader decodes each
 * chunk on its own (lib/utils/parse-sax.js), so a Chinese character split across two chunks
 * came out as U+FFFD and the whole file had to be read again in memory (readWhole): fine for a
 * county, not for 1,000,000 rows. With whole characters per chunk the stream read is exact.
 */
export async function* utf8Aligned(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const b = carry.length > 0 ? Buffer.concat([carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const cut = b.length - incompleteUtf8Tail(b);
    carry = Buffer.from(b.subarray(cut));
    if (cut > 0) yield b.subarray(0, cut);
  }
  if (carry.length > 0) yield carry;
}

type ReaderInternals = {
  _parseWorksheet(iterator: AsyncIterable<Uint8Array>, sheetNo: string): Generator<unknown>;
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown>;
};

/** A WorkbookReader whose shared strings and sheets are fed whole UTF-8 characters (see utf8Aligned). */
function alignedReader(exceljs: typeof ExcelJS, input: Readable): ExcelJS.stream.xlsx.WorkbookReader {
  const reader = new exceljs.stream.xlsx.WorkbookReader(input, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', entries: 'ignore' });
  const r = reader as unknown as ReaderInternals;
  const proto = Object.getPrototypeOf(reader) as ReaderInternals;
  r._parseWorksheet = function (iterator, sheetNo) {
    // exceljs reads the sheet at once when shared strings and rels came before it, and then looks
    // up xl/workbook.xml's sheet list, which may come later in the zip (seen once in the
    // property test of tests/import/streamed-import.test.ts as "reading 'sheets'"): the sheet's
    // name is not needed here, so an empty model stands in.
    const self = this as unknown as { model?: object };
    self.model ??= {};
    return proto._parseWorksheet.call(this, utf8Aligned(iterator), sheetNo);
  };
  // exceljs assigns `this.sharedStrings = []` when it meets the table; until then it must stay
  // undefined (a sheet before the table is then spooled to a temp file, as exceljs does).
  let shared: unknown[] | undefined;
  Object.defineProperty(reader, 'sharedStrings', {
    get: () => shared,
    set: (v: unknown) => {
      shared = v === undefined ? undefined : sharedStringsView(new CompactStrings());
    },
    configurable: true,
  });
  r._parseSharedStrings = function (entry) {
    return proto._parseSharedStrings.call(this, Readable.from(utf8Aligned(entry as AsyncIterable<Uint8Array>), { objectMode: false }));
  };
  return reader;
}

/**
 * The streaming reader (issue 13): the zip's central directory is checked first (a zip bomb
 * is refused before a byte is inflated), then the first sheet is read row by row. A read that
 * makes no progress for maxXlsxReadMs (exceljs never settles on some corrupt deflate data) is
 * refused as malformed; the time the caller spends on each row does not count.
 */
export async function* xlsxRecords(source: Source, limits: ImportLimits = importLimits()): AsyncGenerator<RawRecord> {
  if (source.size > limits.maxFileBytes) throw limitExceeded('maxFileBytes', limits.maxFileBytes, source.size);
  const layout = await checkZipSource(source, limits);
  const exceljs = await excel();
  const input = Readable.from(sheetsLast(source, layout), { objectMode: false });
  const malformed = (e: unknown): SuijiError =>
    e instanceof SuijiError ? e : fileError('XLSX 格式错误', 'malformed XLSX', { reason: e instanceof Error ? e.message.slice(0, 200) : 'unknown' });
  async function* rows(): AsyncGenerator<RawRecord> {
    let sheets = 0;
    let n = 0;
    for await (const sheet of alignedReader(exceljs, input)) {
      sheets++;
      for await (const row of sheet) {
        if (n >= limits.maxRows) throw limitExceeded('maxRows', limits.maxRows);
        const values = row.values as ExcelJS.CellValue[];
        if (values.length - 1 > limits.maxColumns) throw limitExceeded('maxColumns', limits.maxColumns, values.length - 1);
        const cells: string[] = [];
        for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]));
        n++;
        yield { cells, rowNumber: row.number };
      }
      break; // the first sheet is the register
    }
    if (sheets === 0) throw fileError('工作簿没有工作表', 'the workbook has no sheet');
  }
  const it = rows();
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(fileError('XLSX 数据损坏，读取未能完成', 'corrupt XLSX data: the read did not complete', { limit: 'maxXlsxReadMs', max: limits.maxXlsxReadMs })),
          limits.maxXlsxReadMs,
        );
      });
      const next = it.next();
      next.catch(() => undefined); // abandoned after a stall: never an unhandled rejection
      let r: IteratorResult<RawRecord>;
      try {
        r = await Promise.race([next, stalled]);
      } catch (e) {
        throw malformed(e);
      } finally {
        clearTimeout(timer);
      }
      if (r.done) return;
      yield r.value;
    }
  } finally {
    input.destroy();
  }
}
