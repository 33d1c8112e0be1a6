import { readCsv } from './csv-read.js';
import { importLimits, type ImportLimits } from './limits.js';
import type { Table, TableFormat } from './table.js';
import { readXlsx } from './xlsx-read.js';

/** Reads an uploaded register file within the limits (defaults: limits.ts). */
export const readTable = async (bytes: Uint8Array, format: TableFormat, limits: ImportLimits = importLimits()): Promise<Table> =>
  format === 'csv' ? readCsv(bytes, limits) : readXlsx(bytes, limits);
