import type { Database } from 'better-sqlite3';
import { queryInspectors } from '../../projections/registers/index.js';
import { rowToTarget, type TargetRow as TargetDbRow } from '../../projections/registers/targets.js';
import { toCsv } from './csv-write.js';
import { excel } from './excel.js';
import { inspectorImport } from './inspectors.js';
import type { ImportKind } from './kind.js';
import type { DepartmentName } from './row-parser.js';
import type { TableFormat } from './table.js';
import { targetImport } from './targets.js';

export interface ExportOptions {
  readonly format: TableFormat;
  /** Write department names instead of ids (the importer accepts both). */
  readonly departments?: readonly DepartmentName[];
  /** Only this department's entries (its jurisdiction / its inspectors). */
  readonly department?: string;
}

async function toXlsx(sheetName: string, headers: readonly string[], rows: readonly (readonly string[])[]): Promise<Uint8Array> {
  const wb = new (await excel()).Workbook();
  const ws = wb.addWorksheet(sheetName);
  ws.addRow([...headers]);
  // Every cell is written as text: codes like 0012 and dates must not be reinterpreted by Excel.
  for (const r of rows) ws.addRow([...r]);
  ws.columns.forEach((c) => {
    c.numFmt = '@';
  });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

function write<D>(kind: ImportKind<D>, sheetName: string, records: readonly D[], o: ExportOptions): Promise<Uint8Array> {
  const rows = records.map((r) => kind.format(r, o.departments));
  return o.format === 'csv' ? Promise.resolve(toCsv(kind.headers, rows)) : toXlsx(sheetName, kind.headers, rows);
}

/** L4: the comprehensive register (all statuses) in the import columns, by uscc; re-imports unchanged. */
export function exportTargets(db: Database, o: ExportOptions): Promise<Uint8Array> {
  const rows = (
    o.department === undefined
      ? db.prepare('SELECT * FROM reg_targets ORDER BY uscc').all()
      : db.prepare('SELECT * FROM reg_targets WHERE jurisdiction = ? ORDER BY uscc').all(o.department)
  ) as TargetDbRow[];
  return write(targetImport, '检查对象名录库', rows.map(rowToTarget), o);
}

/** L3: the inspector register (all statuses) in the import columns, by id. */
export function exportInspectors(db: Database, o: ExportOptions): Promise<Uint8Array> {
  const filter = { status: ['active', 'suspended', 'left'], ...(o.department === undefined ? {} : { department: [o.department] }) };
  const people = queryInspectors(db, filter).map(({ conflicts: _c, ...rest }) => rest);
  return write(inspectorImport, '执法检查人员名录库', people, o);
}
