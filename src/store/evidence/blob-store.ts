/**
 * Content-addressed evidence blobs (E10, 一对象一档案) in `<data>/evidence/`:
 *
 *   tmp/<random>.part          an upload in progress (removed on any refusal or failure)
 *   sha256/<ab>/<64 hex>       a durable blob, named by the SHA-256 of its bytes, fanned out by the first byte
 *
 * A blob is written to a temp file while it is hashed, fsynced, then linked to its name and the
 * directory fsynced — the same discipline as the checkpoint file (src/store/checkpoint-file.ts).
 * `link` never replaces: an existing blob is kept (same bytes, same name). Nothing here deletes a
 * blob; there is no delete operation (E10: evidence is kept long-term).
 *
 * SHA-256 via node:crypto, as the store's write path (envelope.ts, frontier.ts): same bytes as
 * @noble/hashes, several times faster on large files.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, mkdir, open, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { SHA256_HEX, evidenceEmpty, evidenceHashMismatch, evidenceNotFound, evidenceTooLarge, evidenceTypeRefused } from './errors.js';
import { evidenceLimits, type EvidenceLimits } from './limits.js';
import { fsyncDir } from '../fsync-dir.js';

export interface StoredBlob {
  readonly sha256: string;
  readonly size: number;
  /** Sniffed from the bytes (file-type), never from the name. */
  readonly mime: string;
  readonly ext: string;
  /** false when a blob with these bytes was already stored (nothing new written). */
  readonly created: boolean;
}

export interface PutOptions {
  /** The SHA-256 the client says it sent (lowercase hex); a mismatch is refused (a truncated upload). */
  readonly expectedSha256?: string;
  /** The field to name when it does not match (HTTP header, CLI argument). */
  readonly expectedField?: string;
  /** Tighter limits for this upload (never looser than the store's). */
  readonly limits?: Partial<EvidenceLimits>;
}

export type BlobCheck = { readonly sha256: string; readonly status: 'ok' } | { readonly sha256: string; readonly status: 'missing' } | { readonly sha256: string; readonly status: 'changed'; readonly actual: string; readonly size: number };

/** Bytes kept for sniffing: every accepted type is recognised from its first few KiB (file-type reads at most this much of these formats). */
const SNIFF_BYTES = 64 * 1024;


const isCode = (e: unknown, code: string): boolean => (e as NodeJS.ErrnoException | null)?.code === code;

export class EvidenceStore {
  readonly root: string;
  readonly limits: EvidenceLimits;

  constructor(dataDir: string, limits: Partial<EvidenceLimits> = {}) {
    this.root = join(dataDir, 'evidence');
    this.limits = evidenceLimits(limits);
  }

  get tmpDir(): string {
    return join(this.root, 'tmp');
  }

  /** Where the blob of `sha256` lives (whether or not it exists). */
  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new RangeError(`not a SHA-256: ${sha256.slice(0, 80)}`);
    return join(this.root, 'sha256', sha256.slice(0, 2), sha256);
  }

  /**
   * Streams `source` into the store. Refusals (zero bytes, over the limit — raised as soon as the
   * limit is passed, the rest is not read — a type not on the list, a hash mismatch) are coded
   * E10 errors and leave nothing behind: the temp file is removed and no blob is linked.
   */
  async putStream(source: AsyncIterable<Uint8Array> | Readable, options: PutOptions = {}): Promise<StoredBlob> {
    const maxBytes = Math.min(this.limits.maxBytes, options.limits?.maxBytes ?? Infinity);
    const types = options.limits?.types ? this.limits.types.filter((t) => options.limits!.types!.includes(t)) : this.limits.types;
    await mkdir(this.tmpDir, { recursive: true });
    const tmp = join(this.tmpDir, `${process.pid}-${randomBytes(8).toString('hex')}.part`);
    const fh = await open(tmp, 'wx', 0o644);
    let closed = false;
    try {
      const hash = createHash('sha256');
      const head: Uint8Array[] = [];
      let headBytes = 0;
      let size = 0;
      let sniffed: { mime: string; ext: string } | null = null;
      const sniff = async (): Promise<{ mime: string; ext: string }> => {
        const t = await fileTypeFromBuffer(Buffer.concat(head));
        if (!t || !types.includes(t.mime)) throw evidenceTypeRefused(t?.mime ?? null, types);
        return { mime: t.mime, ext: t.ext };
      };
      for await (const chunk of source) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array);
        size += bytes.length;
        if (size > maxBytes) throw evidenceTooLarge(maxBytes);
        hash.update(bytes);
        if (headBytes < SNIFF_BYTES) {
          head.push(bytes.subarray(0, SNIFF_BYTES - headBytes));
          headBytes += Math.min(bytes.length, SNIFF_BYTES - headBytes);
          // Refuse a wrong type once enough is seen, before the rest is written.
          if (headBytes >= SNIFF_BYTES) sniffed = await sniff();
        }
        await fh.write(bytes);
      }
      if (size === 0) throw evidenceEmpty();
      sniffed ??= await sniff();
      const sha256 = hash.digest('hex');
      if (options.expectedSha256 !== undefined && options.expectedSha256 !== sha256) {
        throw evidenceHashMismatch(options.expectedField ?? 'sha256', options.expectedSha256, sha256);
      }
      await fh.sync();
      await fh.close();
      closed = true;
      const final = this.pathOf(sha256);
      const dir = join(this.root, 'sha256', sha256.slice(0, 2));
      await mkdir(dir, { recursive: true });
      let created = true;
      try {
        await link(tmp, final);
      } catch (e) {
        if (!isCode(e, 'EEXIST')) throw e;
        created = false;
      }
      await unlink(tmp);
      if (created) await fsyncDir(dir);
      return { sha256, size, mime: sniffed.mime, ext: sniffed.ext, created };
    } catch (e) {
      if (!closed) await fh.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch (e) {
      if (isCode(e, 'ENOENT')) return false;
      throw e;
    }
  }

  /** The blob's bytes as a stream and its size; NOT_FOUND (E10) for an unknown hash. */
  async get(sha256: string): Promise<{ readonly size: number; readonly stream: Readable }> {
    if (!(await this.has(sha256))) throw evidenceNotFound(sha256);
    const path = this.pathOf(sha256);
    return { size: (await stat(path)).size, stream: createReadStream(path) };
  }

  /** Re-hashes the blob: `ok`, `missing`, or `changed` with the hash its bytes have now. */
  async verify(sha256: string): Promise<BlobCheck> {
    if (!(await this.has(sha256))) return { sha256, status: 'missing' };
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of createReadStream(this.pathOf(sha256))) {
      size += (chunk as Buffer).length;
      hash.update(chunk as Buffer);
    }
    const actual = hash.digest('hex');
    return actual === sha256 ? { sha256, status: 'ok' } : { sha256, status: 'changed', actual, size };
  }
}
