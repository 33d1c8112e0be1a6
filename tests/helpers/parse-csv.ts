import { parse } from 'csv-parse/sync';

/** Parses a CSV written by src/app/registers-io/csv-write.ts (BOM, CRLF, quoted cells) into rows of strings, with the kept csv-parse. */
export function parseCsv(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: true }) as string[][];
}
