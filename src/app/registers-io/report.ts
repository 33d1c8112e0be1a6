import { writeFileSync } from 'node:fs';
import { toCsv } from './csv-write.js';
import type { ImportReport } from './run.js';

/** The report as a spreadsheet an operator can open next to the input. */
export function reportCsv(report: ImportReport): Uint8Array {
  return toCsv(
    ['行号', '列', '错误代码', '原值', '错误说明', 'Error'],
    report.errors.map((e) => [String(e.row), e.column ?? '', e.code, e.value ?? '', e.messageZh, e.messageEn]),
  );
}

/** Writes `<input>.report.json` and `<input>.report.csv`; returns both paths. */
export function writeImportReport(inputPath: string, report: ImportReport): { json: string; csv: string } {
  const json = `${inputPath}.report.json`;
  const csv = `${inputPath}.report.csv`;
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(csv, reportCsv(report));
  return { json, csv };
}

/** One line for a terminal, Chinese first. */
export const summariseReport = (r: ImportReport): string =>
  `共 ${r.total} 行：新增 ${r.created}，更新 ${r.updated}，未变 ${r.unchanged}，拒绝 ${r.rejected} / ${r.total} rows: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.rejected} rejected`;
