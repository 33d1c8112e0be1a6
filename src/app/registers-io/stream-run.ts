import { SuijiError } from '../../domain/errors.js';
import type { RegisterCommand } from '../../domain/registers/index.js';
import { TimeSlice } from '../../store/time-slice.js';
import { csvRecords } from './csv-read.js';
import { KeyIndex } from './key-index.js';
import { importLimits, type ImportLimits } from './limits.js';
import { RowParser, type RowError } from './row-parser.js';
import {
  DEFAULT_BATCH, errorFromSuiji, importCommandId, importKinds, PROGRESS_EVERY,
  type ImportOptions, type ImportReport, type Outcome,
} from './run.js';
import { scanSource, type Source } from './source.js';
import { streamTable, type TableFormat } from './table.js';
import { xlsxRecords } from './xlsx-read.js';

export interface ImportFileOptions extends Omit<ImportOptions, 'table' | 'fileHash'> {
  readonly source: Source;
  readonly format: TableFormat;
  readonly limits?: ImportLimits;
}

/**
 * Streams a register file into the ledger (issue 13): the file is hashed in one pass (the
 * command ids derive from the hash), then read again record by record; each row is parsed
 * and validated as it comes and valid rows are appended `batchSize` at a time. Memory is
 * bounded by one batch and the parser's buffers, not by the file — plus what the report
 * itself must hold (row errors, and one key per row to refuse duplicates within the file).
 *
 * Same semantics as readTable + importTable (tests/import/streamed-import.test.ts): the same
 * rows, the same commands under the same ids, the same report.
 */
export async function importFile(o: ImportFileOptions): Promise<ImportReport> {
  const limits = o.limits ?? importLimits();
  const scan = await scanSource(o.source, o.format === 'csv');
  let bytesRead = 0;
  const counted: Source = {
    size: o.source.size,
    readAt: (offset, length) => o.source.readAt(offset, length),
    async *chunks(start?: number, end?: number) {
      for await (const c of o.source.chunks(start, end)) {
        bytesRead += c.length;
        yield c;
      }
    },
  };
  const records = o.format === 'csv' ? csvRecords(counted, scan, limits) : xlsxRecords(counted, limits);
  const table = await streamTable(records);
  const spec = importKinds[o.kind];
  const missingColumns = spec.headers.filter((h) => !table.headers.includes(h));
  const ignoredColumns = table.headers.filter((h) => !spec.headers.includes(h));
  const base = { kind: o.kind, fileName: o.fileName ?? null, fileHash: scan.fileHash, missingColumns, ignoredColumns };
  if (missingColumns.length > 0) {
    let total = 0;
    for await (const _ of table.rows) total++;
    const errors = missingColumns.map((c) => ({ row: 1, column: c, code: 'VALIDATION_FAILED', messageZh: `缺少列：${c}`, messageEn: `missing column: ${c}` }));
    return { ...base, total, created: 0, updated: 0, unchanged: 0, rejected: total, errors };
  }
  const errors: RowError[] = [];
  const firstRowOf = new KeyIndex();
  let total = 0;
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  let rejected = 0;
  const record = (row: number, outcome: Outcome): void => {
    if (outcome instanceof SuijiError) {
      if (outcome.status >= 500) throw outcome;
      errors.push(errorFromSuiji(row, outcome, spec));
      rejected++;
    } else if (outcome.length === 0) unchanged++;
    else if (outcome.some((t) => t.endsWith('Registered'))) created++;
    else updated++;
  };
  const pending: { row: number; command: RegisterCommand }[] = [];
  const flush = async (): Promise<void> => {
    const batch = pending.splice(0);
    if (batch.length === 0) return;
    if (o.executeBatch) {
      const outcomes = await o.executeBatch(batch.map((b) => b.command));
      batch.forEach((b, k) => record(b.row, outcomes[k]!));
      return;
    }
    for (const b of batch) {
      let outcome: Outcome;
      try {
        outcome = await o.execute(b.command);
      } catch (e) {
        if (!(e instanceof SuijiError)) throw e;
        outcome = e;
      }
      record(b.row, outcome);
    }
  };
  // The total is not known before the end: the progress bar's total is estimated from the bytes read so far.
  const estimate = (done: number): number => (bytesRead > 0 ? Math.max(done, Math.round((done * counted.size) / bytesRead)) : done);
  const batchSize = o.executeBatch ? Math.max(1, o.batchSize ?? DEFAULT_BATCH) : 1;
  const slice = o.slice ?? new TimeSlice();
  for await (const { rowNumber, cells } of table.rows) {
    await slice.pass();
    if (total % PROGRESS_EVERY === 0) o.onProgress?.({ done: total, total: estimate(total) });
    total++;
    const p = new RowParser(rowNumber, cells, o.departments);
    p.checkCharacters(spec.headers, scan.invalidBytes);
    const parsed = spec.parse(p);
    const data = p.errors.length === 0 ? spec.validate(parsed) : undefined;
    if (data instanceof SuijiError) p.errors.push(errorFromSuiji(rowNumber, data, spec));
    if (p.errors.length > 0 || data === undefined || data instanceof SuijiError) {
      errors.push(...p.errors);
      rejected++;
      continue;
    }
    const key = spec.key(data);
    const first = firstRowOf.firstOrAdd(key, rowNumber);
    if (first !== undefined) {
      errors.push({ row: rowNumber, column: spec.headers[0] ?? null, code: 'VALIDATION_FAILED', messageZh: `与第${first}行重复`, messageEn: `duplicate of row ${first}`, value: key });
      rejected++;
      continue;
    }
    const command = spec.command(
      { ...(data as object), reason: `导入 import ${o.fileName ?? scan.fileHash.slice(0, 12)} 第${rowNumber}行` },
      { actor: o.actor, now: o.now, commandId: importCommandId(scan.fileHash, o.kind, rowNumber) },
    );
    pending.push({ row: rowNumber, command });
    if (pending.length >= batchSize) await flush();
  }
  await flush();
  o.onProgress?.({ done: total, total });
  errors.sort((a, b) => a.row - b.row);
  return { ...base, total, created, updated, unchanged, rejected, errors };
}
