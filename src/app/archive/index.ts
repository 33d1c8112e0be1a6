/** A target's archive (E10, 一对象一档案): export from the ledger and evidence store; the offline check is src/verify/archive.ts. */
export { exportArchive, type ArchiveExportResult } from './export.js';
