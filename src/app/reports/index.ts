/** Upward reports (E8, A1): per department and period, CSV and XLSX from the same rows. */
export * from './inspections.js';
