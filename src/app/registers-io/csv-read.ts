import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { SuijiError } from '../../domain/errors.js';
import { yieldToEventLoop } from '../../store/time-slice.js';
import { importLimits, limitExceeded, type ImportLimits } from './limits.js';
import type { Scan, Source } from './source.js';
import { fileError, toTable, type RawRecord, type Table } from './table.js';

/**
 * Text fed to the parser per event-loop turn. csv-parse handles ~64K characters in a few ms
 * (a 7.8 MB register is ~120 chunks), so a request arriving mid-parse waits one chunk.
 */
const CHUNK_CHARS = 64 * 1024;

const count = (s: string, ch: string): number => {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
};

/**
 * Bureau spreadsheets come as UTF-8 (often with a BOM, from Excel) or as GB18030/GBK (older
 * Excel "CSV" on Chinese Windows). Strict UTF-8 first, then strict GB18030. Bytes valid in
 * neither are not silently turned into U+FFFD (issue 8 §2): the text is decoded with the
 * encoding that needed fewer replacements and flagged, and every cell with a replacement is
 * refused with its row and column.
 */
export function decodeText(bytes: Uint8Array): { text: string; invalidBytes: boolean } {
  for (const encoding of ['utf-8', 'gb18030']) {
    try {
      return { text: new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes), invalidBytes: false };
    } catch {
      // next encoding
    }
  }
  const utf8 = new TextDecoder('utf-8').decode(bytes);
  const gb = new TextDecoder('gb18030').decode(bytes);
  return { text: count(gb, '\uFFFD') < count(utf8, '\uFFFD') ? gb : utf8, invalidBytes: true };
}

/** Splits at CHUNK_CHARS without cutting a surrogate pair in two. */
function* chunks(text: string): Generator<string> {
  for (let i = 0; i < text.length; ) {
    let end = Math.min(text.length, i + CHUNK_CHARS);
    const c = text.charCodeAt(end - 1);
    if (end < text.length && c >= 0xd800 && c <= 0xdbff) end -= 1;
    yield text.slice(i, end);
    i = end;
  }
}

/** RFC 4180 CSV, parsed a chunk per event-loop turn; the row and column limits stop it as soon as they are passed. */
export async function readCsv(bytes: Uint8Array, limits: ImportLimits = importLimits()): Promise<Table> {
  if (bytes.length > limits.maxFileBytes) throw limitExceeded('maxFileBytes', limits.maxFileBytes, bytes.length);
  const { text, invalidBytes } = decodeText(bytes);
  const records: RawRecord[] = [];
  let failure: Error | undefined;
  const parser = parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: true });
  parser.on('data', ({ record, info }: { record: string[]; info: { lines: number } }) => {
    if (failure) return;
    if (records.length >= limits.maxRows) failure = limitExceeded('maxRows', limits.maxRows);
    else if (record.length > limits.maxColumns) failure = limitExceeded('maxColumns', limits.maxColumns, record.length);
    else records.push({ cells: record, rowNumber: info.lines });
  });
  const ended = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('error', (e) => {
      // Hostile or broken CSV: a coded error, never a raw parser exception (STYLE habit 6).
      failure ??= fileError('CSV 格式错误', 'malformed CSV', { reason: e.message.slice(0, 200) });
      resolve();
    });
  });
  for (const chunk of chunks(text)) {
    if (failure) break;
    parser.write(chunk);
    await yieldToEventLoop();
  }
  if (!failure) parser.end();
  else parser.destroy();
  if (!failure) await ended;
  if (failure) throw failure;
  return toTable(records, { invalidBytes });
}

/**
 * The streaming reader (issue 13): the source decoded in the encoding the scan chose, through
 * csv-parse's stream API, record by record with back-pressure — memory stays bounded by the
 * parser's buffer whatever the file's size. The same limits as readCsv, checked as rows come.
 */
export async function* csvRecords(source: Source, scan: Scan, limits: ImportLimits = importLimits()): AsyncGenerator<RawRecord> {
  if (source.size > limits.maxFileBytes) throw limitExceeded('maxFileBytes', limits.maxFileBytes, source.size);
  const decoder = new TextDecoder(scan.encoding);
  const text = Readable.from(
    (async function* () {
      for await (const chunk of source.chunks()) {
        const s = decoder.decode(chunk, { stream: true });
        if (s) yield s;
      }
      const tail = decoder.decode();
      if (tail) yield tail;
    })(),
    { objectMode: false },
  );
  const parser = parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: true });
  text.pipe(parser);
  let n = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (n >= limits.maxRows) throw limitExceeded('maxRows', limits.maxRows);
      if (record.length > limits.maxColumns) throw limitExceeded('maxColumns', limits.maxColumns, record.length);
      n++;
      yield { cells: record, rowNumber: info.lines };
    }
  } catch (e) {
    if (e instanceof SuijiError) throw e;
    // Hostile or broken CSV: a coded error, never a raw parser exception (STYLE habit 6).
    throw fileError('CSV 格式错误', 'malformed CSV', { reason: e instanceof Error ? e.message.slice(0, 200) : 'unknown' });
  } finally {
    text.destroy();
    parser.destroy();
  }
}
