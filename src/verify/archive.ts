/**
 * Offline check of a target's archive (E10, 一对象一档案; docs/inspections.md "The archive").
 * Pure but for the two readers the caller passes (the CLI reads the directory), and depends only
 * on src/verify and @noble: an auditor can run it without suiji's store or data directory.
 *
 * What it proves: every file is the bytes the index and SHA256SUMS name; every index entry is
 * the envelope whose leaf hash it states (the summary fields included); every leaf is in the
 * ledger at its position under the checkpoint root, by its RFC 6962 inclusion proof; every
 * evidence blob the events cite is in the archive. What it cannot prove alone: that the
 * checkpoint is the ledger's — compare size and root with a checkpoint published elsewhere.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { verifyInclusion } from './inclusion.js';
import { parseJsonStrict } from './json.js';
import { envelopeLeafHashHex } from './ledger.js';

export const ARCHIVE_FORMAT = 'suiji-archive/1';
export const ARCHIVE_INDEX = 'index.json';
export const ARCHIVE_SUMS = 'SHA256SUMS';

export interface ArchiveEntry {
  readonly position: number;
  readonly streamId: string;
  readonly type: string;
  /** The user whose token wrote it (A3). */
  readonly actor: string;
  readonly leafHash: string;
  /** RFC 6962 audit path, leaf's sibling first. */
  readonly proof: string[];
  /** The ledger envelope without its `hash` member (docs/ledger-format.md §2). */
  readonly envelope: Record<string, unknown>;
}

export interface ArchiveFile {
  readonly sha256: string;
  readonly size: number;
  readonly mime: string | null;
  readonly path: string;
}

export interface ArchiveIndex {
  readonly format: typeof ARCHIVE_FORMAT;
  readonly uscc: string;
  readonly exportedAt: string;
  readonly checkpoint: { readonly size: number; readonly root: string };
  readonly events: ArchiveEntry[];
  readonly files: ArchiveFile[];
}

export interface ArchiveReader {
  /** The bytes of a small file (index.json, SHA256SUMS), or null when absent. */
  readonly read: (path: string) => Promise<Uint8Array | null>;
  /** SHA-256 (hex) and size of any file, or null when absent. */
  readonly hash: (path: string) => Promise<{ sha256: string; size: number } | null>;
  /** Every regular file under the archive, relative paths with `/`. */
  readonly list: () => Promise<string[]>;
}

export type ArchiveVerdict =
  | { readonly ok: true; readonly uscc: string; readonly events: number; readonly files: number; readonly checkpoint: { size: number; root: string } }
  | { readonly ok: false; readonly reason: string; readonly at: string; readonly detail: string };

const HEX64 = /^[0-9a-f]{64}$/;
const SUMS_LINE = /^([0-9a-f]{64}) [ *](.+)$/;

/** The hashes an event cites as evidence: an `EvidenceStored`'s blob, an on-site record's list. */
export function citedEvidence(type: string, payload: unknown): string[] {
  const p = payload as { sha256?: unknown; evidence?: unknown; findings?: unknown } | null;
  if (p === null || typeof p !== 'object') return [];
  const out: string[] = [];
  if (type === 'EvidenceStored' && typeof p.sha256 === 'string') out.push(p.sha256);
  if (Array.isArray(p.evidence)) for (const h of p.evidence) if (typeof h === 'string') out.push(h);
  if (Array.isArray(p.findings)) for (const f of p.findings as { evidence?: unknown }[]) if (Array.isArray(f?.evidence)) for (const h of f.evidence) if (typeof h === 'string') out.push(h);
  return out;
}

/** The sha256sum(1) text of `entries`, so `sha256sum -c SHA256SUMS` checks an archive too. */
export const formatSums = (entries: readonly { path: string; sha256: string }[]): string => entries.map((e) => `${e.sha256}  ${e.path}\n`).join('');

export async function verifyArchive(reader: ArchiveReader): Promise<ArchiveVerdict> {
  const bad = (reason: string, at: string, detail: string): ArchiveVerdict => ({ ok: false, reason, at, detail });

  // 1. Every file against SHA256SUMS, and no file outside it.
  const sumsBytes = await reader.read(ARCHIVE_SUMS);
  if (sumsBytes === null) return bad('missing-file', ARCHIVE_SUMS, 'no SHA256SUMS');
  const sums = new Map<string, string>();
  for (const [n, line] of new TextDecoder('utf-8', { fatal: true }).decode(sumsBytes).split('\n').entries()) {
    if (line === '') continue;
    const m = SUMS_LINE.exec(line);
    if (!m || sums.has(m[2]!)) return bad('malformed-sums', `${ARCHIVE_SUMS}:${n + 1}`, line.slice(0, 200));
    sums.set(m[2]!, m[1]!);
  }
  for (const path of (await reader.list()).sort()) {
    if (path !== ARCHIVE_SUMS && !sums.has(path)) return bad('unlisted-file', path, 'a file SHA256SUMS does not name');
  }
  if (!sums.has(ARCHIVE_INDEX)) return bad('unlisted-file', ARCHIVE_INDEX, 'SHA256SUMS does not name index.json');
  for (const [path, want] of sums) {
    const got = await reader.hash(path);
    if (got === null) return bad('missing-file', path, 'named in SHA256SUMS, absent');
    if (got.sha256 !== want) return bad('file-hash-mismatch', path, `SHA256SUMS ${want}, bytes ${got.sha256}`);
  }

  // 2. The index.
  const indexBytes = await reader.read(ARCHIVE_INDEX);
  if (indexBytes === null) return bad('missing-file', ARCHIVE_INDEX, 'no index.json');
  let index: ArchiveIndex;
  try {
    index = parseJsonStrict(new TextDecoder('utf-8', { fatal: true }).decode(indexBytes)) as ArchiveIndex;
  } catch (e) {
    return bad('malformed-index', ARCHIVE_INDEX, e instanceof Error ? e.message : String(e));
  }
  if (index?.format !== ARCHIVE_FORMAT || !Array.isArray(index.events) || !Array.isArray(index.files)) return bad('malformed-index', ARCHIVE_INDEX, `not a ${ARCHIVE_FORMAT} index`);
  const cp = index.checkpoint;
  if (!cp || !Number.isSafeInteger(cp.size) || cp.size < 1 || typeof cp.root !== 'string' || !HEX64.test(cp.root)) return bad('malformed-index', 'checkpoint', 'size and root');
  const root = hexToBytes(cp.root);

  // 3. Files: named by their hash, listed in SHA256SUMS (so their bytes were checked above).
  const files = new Set<string>();
  for (const [i, f] of index.files.entries()) {
    if (typeof f?.sha256 !== 'string' || !HEX64.test(f.sha256) || f.path !== `files/${f.sha256}`) return bad('malformed-index', `files/${i}`, 'sha256 and path files/<sha256>');
    if (sums.get(f.path) !== f.sha256) return bad('file-hash-mismatch', f.path, `index ${f.sha256}, SHA256SUMS ${sums.get(f.path) ?? 'none'}`);
    files.add(f.sha256);
  }

  // 4. Events: envelope → leaf hash → inclusion proof → checkpoint root.
  const seen = new Set<number>();
  for (const [i, e] of index.events.entries()) {
    const at = `events/${i} (position ${String(e?.position)})`;
    const env = e?.envelope;
    if (!env || typeof env !== 'object' || !Number.isSafeInteger(e.position) || !Array.isArray(e.proof) || typeof e.leafHash !== 'string') return bad('malformed-index', at, 'position, envelope, leafHash, proof');
    if (seen.has(e.position)) return bad('malformed-index', at, 'position listed twice');
    seen.add(e.position);
    const actor = (env.actor as { userId?: unknown } | undefined)?.userId;
    if (env.position !== e.position || env.streamId !== e.streamId || env.type !== e.type || actor !== e.actor) {
      return bad('summary-mismatch', at, 'position, streamId, type or actor differ from the envelope');
    }
    const leaf = envelopeLeafHashHex(env);
    if (leaf !== e.leafHash) return bad('leaf-hash-mismatch', at, `index ${e.leafHash}, envelope hashes to ${leaf}`);
    if (!e.proof.every((p) => typeof p === 'string' && HEX64.test(p))) return bad('malformed-index', at, 'proof: 64-hex hashes');
    if (!verifyInclusion(hexToBytes(leaf), e.position, cp.size, e.proof.map((p) => hexToBytes(p)), root)) {
      return bad('inclusion-proof-failed', at, `leaf ${leaf} is not at position ${e.position} under root ${bytesToHex(root)} (size ${cp.size})`);
    }
    for (const h of citedEvidence(e.type, env.payload)) if (!files.has(h)) return bad('missing-evidence', at, `cites evidence ${h}, not in the archive`);
  }
  return { ok: true, uscc: index.uscc, events: index.events.length, files: index.files.length, checkpoint: { size: cp.size, root: cp.root } };
}
