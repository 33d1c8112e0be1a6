import type { Source } from './source.js';
import type { ZipLayout } from './zip-guard.js';

const SHEET = /^xl\/worksheets\/sheet\d+\.xml$/;

/**
 * The zip's bytes with every worksheet moved after the other entries (issue 13, 1,000,000-row
 * XLSX). exceljs's streaming reader reads the entries in file order and can parse a sheet only
 * once it has the shared strings and the workbook's relationships; Excel's and exceljs's own
 * writers put xl/sharedStrings.xml after the sheet, so the reader spooled the whole inflated
 * sheet to a temporary file (~530 MB for 1,000,000 rows) and read it back. Reordered, the sheet
 * streams straight from the file.
 *
 * Each entry runs from its local header to the next entry's (header, data, data descriptor);
 * entries are cut at the local-header offsets the central directory gives, sorted, so the
 * pieces are disjoint and cover the file exactly once: nothing is read twice, nothing skipped.
 * The central directory itself goes last, unchanged (the reader stops at its signature). When
 * the offsets do not describe such a cut (duplicates, out of range: a hostile or odd zip), or no
 * sheet needs moving, the file is read in its own order, as before.
 */
export function sheetsLast(source: Source, layout: ZipLayout): AsyncIterable<Uint8Array> {
  const pieces = cut(layout);
  if (!pieces) return source.chunks();
  const firstSheet = pieces.findIndex((p) => SHEET.test(p.name));
  const laterOther = pieces.findIndex((p, i) => i > firstSheet && !SHEET.test(p.name));
  if (firstSheet < 0 || laterOther < 0) return source.chunks();
  const order = [...pieces.filter((p) => !SHEET.test(p.name)), ...pieces.filter((p) => SHEET.test(p.name))];
  return (async function* () {
    // Bytes before the first entry (none in an XLSX; a self-extractor's stub) stay first.
    if (pieces[0]!.start > 0) yield* source.chunks(0, pieces[0]!.start);
    for (const p of order) yield* source.chunks(p.start, p.end);
    yield* source.chunks(layout.cdOffset, source.size);
  })();
}

interface Piece {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

function cut(layout: ZipLayout): Piece[] | undefined {
  const sorted = [...layout.entries].sort((a, b) => a.localOffset - b.localOffset);
  const pieces: Piece[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i]!.localOffset;
    const end = i + 1 < sorted.length ? sorted[i + 1]!.localOffset : layout.cdOffset;
    if (!(start < end) || end > layout.cdOffset) return undefined;
    pieces.push({ name: sorted[i]!.name, start, end });
  }
  return pieces.length > 0 ? pieces : undefined;
}
