/** Import and export of the registers as bureaus keep them: CSV or XLSX with Chinese headers (L3, L4, L6). */
export { readTable, readCsv, readXlsx, formatOf, decodeText, MAX_ROWS, type Table, type TableFormat } from './table.js';
export { importTable, hashFile, importCommandId, importKinds, type ImportOptions, type ImportReport, type ImportProgress, type ExecuteCommand, type ExecuteBatch, type Outcome, type ImportKindName } from './run.js';
export { writeImportReport, reportCsv, summariseReport } from './report.js';
export { exportTargets, exportInspectors, type ExportOptions } from './export.js';
export { TARGET_COLUMNS, targetImport } from './targets.js';
export { INSPECTOR_COLUMNS, inspectorImport } from './inspectors.js';
export { toCsv } from './csv-write.js';
export type { RowError, DepartmentName } from './row-parser.js';
export { storeExecutor, storeBatchExecutor } from './execute.js';
