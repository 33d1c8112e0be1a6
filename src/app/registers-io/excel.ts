import type ExcelJS from 'exceljs';

/**
 * exceljs, loaded on first use: its module graph (jszip, unzipper, archiver, …) is ~28 MiB of
 * RSS, which a CSV import or a server that never reads an XLSX need not carry (issue 13's peak
 * RSS budget, docs/performance.md "Imports").
 */
export async function excel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}
