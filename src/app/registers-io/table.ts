import { SuijiError } from '../../domain/errors.js';
import { TimeSlice } from '../../store/time-slice.js';
import { INSPECTOR_COLUMNS } from './inspectors.js';
import { TARGET_COLUMNS } from './targets.js';

/** A spreadsheet as read: header names and data rows keyed by header, with the row number a user sees. */
export interface Table {
  readonly headers: readonly string[];
  readonly rows: readonly { readonly rowNumber: number; readonly cells: Readonly<Record<string, string>> }[];
  /**
   * The CSV was valid in none of the encodings read (UTF-8, GB18030) and was decoded with
   * U+FFFD for the bad bytes: a cell holding U+FFFD is then refused with its row and column.
   */
  readonly invalidBytes?: boolean;
}

export type TableFormat = 'csv' | 'xlsx';

/** One record of the sheet as read: its cells and the row number a user sees. */
export interface RawRecord {
  readonly cells: readonly string[];
  readonly rowNumber: number;
}

export const fileError = (zh: string, en: string, details: Record<string, unknown> = {}): SuijiError =>
  new SuijiError('VALIDATION_FAILED', { field: 'file', ...details }, { zh: `导入文件无法读取：${zh}`, en: `Import file unreadable: ${en}` });

export const formatOf = (fileName: string): TableFormat | undefined =>
  /\.xlsx$/i.test(fileName) ? 'xlsx' : /\.(csv|txt)$/i.test(fileName) ? 'csv' : undefined;

/** How far down the header row is looked for: bureau files put a title and a blank row or two above it. */
export const HEADER_SCAN_ROWS = 20;

const knownHeaders = new Set<string>([...Object.values(TARGET_COLUMNS), ...Object.values(INSPECTOR_COLUMNS)]);

const isBlank = (r: RawRecord): boolean => r.cells.every((c) => c.trim() === '');

/**
 * The header row is the one among the first HEADER_SCAN_ROWS that names the most known columns
 * (the earliest on a tie); rows above it — a merged title cell such as 沂源县商务局检查对象名录库,
 * blank rows — are skipped. When no row names any known column, the error points at the row
 * that looked like a title (a row with a single filled cell), or at the first row.
 */
function findHeader(records: readonly RawRecord[]): number {
  let best = -1;
  let bestHits = 0;
  for (let i = 0; i < Math.min(records.length, HEADER_SCAN_ROWS); i++) {
    const hits = new Set(records[i]!.cells.map((c) => c.trim()).filter((c) => knownHeaders.has(c))).size;
    if (hits > bestHits) {
      best = i;
      bestHits = hits;
    }
  }
  if (best >= 0) return best;
  const scanned = records.slice(0, HEADER_SCAN_ROWS).filter((r) => !isBlank(r));
  const first = scanned[0];
  if (!first) throw fileError('没有表头行', 'no header row');
  const title = scanned.find((r) => r.cells.filter((c) => c.trim() !== '').length === 1) ?? first;
  const text = title.cells.map((c) => c.trim()).filter((c) => c !== '').join(',').slice(0, 60);
  const wanted = [TARGET_COLUMNS.uscc, TARGET_COLUMNS.name, INSPECTOR_COLUMNS.inspectorId].join('、');
  throw fileError(
    `前${HEADER_SCAN_ROWS}行中没有表头行（表头应含“${wanted}”等列名）；第${title.rowNumber}行“${text}”像是标题而不是表头`,
    `no header row in the first ${HEADER_SCAN_ROWS} rows (a header names columns such as ${wanted}); row ${title.rowNumber} "${text}" looks like a title, not a header`,
    { row: title.rowNumber, value: text },
  );
}

/** Records (blank ones included) → Table: finds the header row, refuses duplicate headers, drops blank rows. */
export async function toTable(records: readonly RawRecord[], extra: { invalidBytes?: boolean } = {}): Promise<Table> {
  const h = findHeader(records);
  const head = records[h]!;
  const headers = head.cells.map((c) => c.trim());
  const seen = new Set<string>();
  for (const c of headers) {
    if (c && seen.has(c)) throw fileError(`第${head.rowNumber}行表头重复：${c}`, `duplicate header ${c} in row ${head.rowNumber}`, { column: c, row: head.rowNumber });
    seen.add(c);
  }
  const slice = new TimeSlice();
  const rows: { rowNumber: number; cells: Record<string, string> }[] = [];
  for (let i = h + 1; i < records.length; i++) {
    await slice.pass();
    const r = records[i]!;
    if (isBlank(r)) continue;
    const cells: Record<string, string> = {};
    headers.forEach((name, k) => {
      if (name) cells[name] = (r.cells[k] ?? '').trim();
    });
    rows.push({ rowNumber: r.rowNumber, cells });
  }
  return { headers: headers.filter((c) => c !== ''), rows, ...(extra.invalidBytes ? { invalidBytes: true } : {}) };
}

/** A table read as a stream: the header row is found in the first HEADER_SCAN_ROWS records, the rows follow. */
export interface TableStream {
  readonly headers: readonly string[];
  readonly rows: AsyncIterable<{ readonly rowNumber: number; readonly cells: Readonly<Record<string, string>> }>;
}

/**
 * The streaming toTable: buffers only the first HEADER_SCAN_ROWS records to find the header
 * (the same choice toTable makes), then turns each later record into a row as it comes,
 * dropping blank ones. Same errors as toTable, raised before any row is yielded.
 */
export async function streamTable(records: AsyncIterable<RawRecord>): Promise<TableStream> {
  const it = records[Symbol.asyncIterator]();
  const head: RawRecord[] = [];
  let done = false;
  while (head.length < HEADER_SCAN_ROWS) {
    const n = await it.next();
    if (n.done) {
      done = true;
      break;
    }
    head.push(n.value);
  }
  let h: number;
  try {
    h = findHeader(head);
  } catch (e) {
    await it.return?.();
    throw e;
  }
  const headRow = head[h]!;
  const headers = headRow.cells.map((c) => c.trim());
  const seen = new Set<string>();
  for (const c of headers) {
    if (c && seen.has(c)) {
      await it.return?.();
      throw fileError(`第${headRow.rowNumber}行表头重复：${c}`, `duplicate header ${c} in row ${headRow.rowNumber}`, { column: c, row: headRow.rowNumber });
    }
    seen.add(c);
  }
  const toRow = (r: RawRecord): { rowNumber: number; cells: Record<string, string> } => {
    const cells: Record<string, string> = {};
    headers.forEach((name, k) => {
      if (name) cells[name] = (r.cells[k] ?? '').trim();
    });
    return { rowNumber: r.rowNumber, cells };
  };
  async function* rows(): AsyncGenerator<{ rowNumber: number; cells: Record<string, string> }> {
    try {
      const rest = head.splice(h + 1);
      for (const r of rest) if (!isBlank(r)) yield toRow(r);
      if (done) return;
      for (let n = await it.next(); !n.done; n = await it.next()) if (!isBlank(n.value)) yield toRow(n.value);
    } finally {
      // A consumer that stops early (an error, a refused file) closes the reader too.
      await it.return?.();
    }
  }
  return { headers: headers.filter((c) => c !== ''), rows: rows() };
}
