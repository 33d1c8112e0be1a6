import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Where a register file's bytes come from, readable more than once: the import hashes the
 * file first (command ids derive from the hash) and then parses it, so a 1,000,000-row file
 * is never held whole in memory when it comes from disk (issue 13).
 */
export interface Source {
  readonly size: number;
  /** The bytes from `start` (default 0) up to `end` (exclusive, default the size), in order, in chunks; each call reads again. */
  chunks(start?: number, end?: number): AsyncIterable<Uint8Array>;
  /** `length` bytes at `offset` (the zip central directory check reads only the end of the file). */
  readAt(offset: number, length: number): Promise<Uint8Array>;
}

const CHUNK_BYTES = 64 * 1024;

/** A file already in memory (an HTTP upload): chunks are views, not copies. */
export function bytesSource(bytes: Uint8Array): Source {
  return {
    size: bytes.length,
    async *chunks(start = 0, end = bytes.length) {
      for (let i = start; i < end; i += CHUNK_BYTES) yield bytes.subarray(i, Math.min(end, i + CHUNK_BYTES));
    },
    readAt: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
  };
}

/** A file on disk, read as a stream on each pass. */
export function fileSource(path: string): Source {
  const size = statSync(path).size;
  return {
    size,
    // createReadStream's `end` is inclusive; an empty range reads nothing.
    chunks: (start = 0, end = size) => (end <= start ? emptyChunks() : createReadStream(path, { highWaterMark: CHUNK_BYTES, start, end: end - 1 })),
    async readAt(offset, length) {
      const f = await open(path, 'r');
      try {
        const buf = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
        await f.read(buf, 0, buf.length, offset);
        return buf;
      } finally {
        await f.close();
      }
    },
  };
}

async function* emptyChunks(): AsyncGenerator<Uint8Array> {}

export type TextEncodingName = 'utf-8' | 'gb18030';

export interface Scan {
  /** Lowercase hex SHA-256 of the bytes (same as hashFile). */
  readonly fileHash: string;
  /** CSV: the encoding the text is read in (see csv-read.ts decodeText: the same choice, made over the stream). */
  readonly encoding: TextEncodingName;
  /** The bytes are valid in neither encoding: cells holding U+FFFD are refused. */
  readonly invalidBytes: boolean;
}

const countFffd = (s: string): number => {
  let n = 0;
  for (let i = s.indexOf('\uFFFD'); i >= 0; i = s.indexOf('\uFFFD', i + 1)) n++;
  return n;
};

/**
 * One pass for the hash (and, for a CSV, a strict UTF-8 check); a second pass only for a file
 * that is not UTF-8: strict GB18030, else the encoding with fewer replacements, flagged — the
 * rule decodeText applies to a whole file in memory.
 */
export async function scanSource(source: Source, text: boolean): Promise<Scan> {
  const hash = createHash('sha256');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let isUtf8 = text;
  for await (const chunk of source.chunks()) {
    hash.update(chunk);
    if (isUtf8) {
      try {
        utf8.decode(chunk, { stream: true });
      } catch {
        isUtf8 = false;
      }
    }
  }
  if (isUtf8) {
    try {
      utf8.decode();
    } catch {
      isUtf8 = false;
    }
  }
  const fileHash = hash.digest('hex');
  if (!text || isUtf8) return { fileHash, encoding: 'utf-8', invalidBytes: false };
  const gbStrict = new TextDecoder('gb18030', { fatal: true });
  const gbLoose = new TextDecoder('gb18030');
  const u8Loose = new TextDecoder('utf-8');
  let isGb = true;
  let gbBad = 0;
  let u8Bad = 0;
  for await (const chunk of source.chunks()) {
    if (isGb) {
      try {
        gbStrict.decode(chunk, { stream: true });
      } catch {
        isGb = false;
      }
    }
    gbBad += countFffd(gbLoose.decode(chunk, { stream: true }));
    u8Bad += countFffd(u8Loose.decode(chunk, { stream: true }));
  }
  if (isGb) {
    try {
      gbStrict.decode();
    } catch {
      isGb = false;
    }
  }
  gbBad += countFffd(gbLoose.decode());
  u8Bad += countFffd(u8Loose.decode());
  if (isGb) return { fileHash, encoding: 'gb18030', invalidBytes: false };
  return { fileHash, encoding: gbBad < u8Bad ? 'gb18030' : 'utf-8', invalidBytes: true };
}
