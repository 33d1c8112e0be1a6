/** Import and export of the registers as bureaus keep them: CSV or XLSX with Chinese headers (L3, L4, L6). */
export { formatOf, HEADER_SCAN_ROWS, type Table, type TableFormat } from './table.js';
export { readTable } from './read.js';
export { readCsv, decodeText, csvRecords } from './csv-read.js';
export { bytesSource, fileSource, scanSource, type Source, type Scan } from './source.js';
export { importFile, type ImportFileOptions } from './stream-run.js';
export { streamTable, type TableStream } from './table.js';
export { readXlsx, xlsxRecords, utf8Aligned } from './xlsx-read.js';
export { checkZip } from './zip-guard.js';
export { importLimits, importLimitsFromEnv, provinceImportLimits, defaultImportLimits, limitExceeded, type ImportLimits } from './limits.js';
export { importTable, hashFile, importCommandId, importKinds, type ImportOptions, type ImportReport, type ImportProgress, type ExecuteCommand, type ExecuteBatch, type Outcome, type ImportKindName, DEFAULT_BATCH, SERVER_IMPORT_BATCH } from './run.js';
export { writeImportReport, reportCsv, summariseReport } from './report.js';
export { exportTargets, exportInspectors, type ExportOptions } from './export.js';
export { TARGET_COLUMNS, targetImport } from './targets.js';
export { INSPECTOR_COLUMNS, inspectorImport } from './inspectors.js';
export { toCsv } from './csv-write.js';
export { excelSerialDate, type RowError, type DepartmentName } from './row-parser.js';
export { storeExecutor, storeBatchExecutor } from './execute.js';
export { boundHeapGrowthForImport, IMPORT_HEAP_GROWING_PERCENT } from './heap.js';
