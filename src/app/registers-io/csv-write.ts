/** UTF-8 BOM: Excel on Chinese Windows opens a UTF-8 CSV correctly only with it. */
const BOM = '\uFEFF';

/**
 * Cells starting with = + - @ (or tab/CR) are read as formulas by spreadsheets (CSV
 * injection); an apostrophe in front keeps them text. The importer strips it again
 * (RowParser.raw), so an export re-imports unchanged.
 */
export const guardFormula = (cell: string): string => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell);

const quote = (cell: string): string => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

/** RFC 4180 CSV with CRLF line ends and a BOM. */
export function toCsv(headers: readonly string[], rows: readonly (readonly string[])[]): Uint8Array {
  const lines = [headers, ...rows].map((r) => r.map((c) => quote(guardFormula(c))).join(','));
  return new TextEncoder().encode(BOM + lines.join('\r\n') + '\r\n');
}
