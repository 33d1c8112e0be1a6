/**
 * `suiji archive export TARGET --out DIR` (E10, 一对象一档案): every ledger event about one
 * target, each with its leaf hash and RFC 6962 inclusion proof against the ledger's head at
 * export, and a copy of every evidence blob those events cite, plus SHA256SUMS. The format
 * and what `archive verify` checks are in src/verify/archive.ts and docs/inspections.md.
 *
 * Cost: the whole ledger is read once (every leaf is recomputed, as `ledger verify` does, so an
 * archive is never cut from a ledger that does not verify) and its tree kept in memory:
 * the leaves and levels as 32-byte views (measured ≈ 330 MB and ≈ 1 s for 10⁶ events) — then one
 * proof per event.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bytesToHex } from '@noble/hashes/utils.js';
import { SuijiError } from '../../domain/errors.js';
import { EvidenceStore } from '../../store/evidence/index.js';
import { nodeHashFast } from '../../store/frontier.js';
import type { EventStore, RecordedEvent } from '../../store/port.js';
import { recordedLeafHash } from '../../store/verify-ledger.js';
import { storedTextFault } from '../../store/leaf-rows.js';
import {
  ARCHIVE_FORMAT, ARCHIVE_INDEX, ARCHIVE_SUMS, citedEvidence, formatSums, inclusionProof, merkleLevels,
  type ArchiveEntry, type ArchiveFile, type ArchiveIndex,
} from '../../verify/index.js';

export interface ArchiveExportResult {
  readonly uscc: string;
  readonly out: string;
  readonly events: number;
  readonly files: number;
  readonly checkpoint: { readonly size: number; readonly root: string };
}

const fail = (field: string, zh: string, en: string, details: Record<string, unknown> = {}): SuijiError =>
  new SuijiError('VALIDATION_FAILED', { field, rule: 'E10', ...details }, { zh: `E10：${zh}`, en: `E10: ${en}` });

/**
 * About the target: its credit code in the payload (`uscc`), or in the stream's name or the
 * payload's `visitId` (a visit id ends with the USCC: visit-, inspection-, result-, visit-form-,
 * result notices); an `EvidenceStored` for one of its visits, or for a blob its record cites
 * (without a visit, or for one of its visits — never another target's citation of the same blob).
 */
function aboutTarget(e: RecordedEvent, uscc: string, cited: ReadonlySet<string>): boolean {
  const p = (e.payload ?? {}) as { uscc?: unknown; visitId?: unknown; sha256?: unknown };
  const ofTarget = (v: unknown): boolean => typeof v === 'string' && v.endsWith(`-${uscc}`);
  if (e.type === 'EvidenceStored') return ofTarget(p.visitId) || (p.visitId === undefined && typeof p.sha256 === 'string' && cited.has(p.sha256));
  return p.uscc === uscc || ofTarget(p.visitId) || e.streamId.includes(uscc);
}

const envelopeOf = (e: RecordedEvent): Record<string, unknown> => ({
  position: e.position, streamId: e.streamId, revision: e.revision, eventId: e.eventId, type: e.type, schemaVersion: e.schemaVersion,
  recordedAt: e.recordedAt, actor: e.actor, correlationId: e.correlationId, causationId: e.causationId, payload: e.payload,
});

async function copyVerified(from: string, to: string, sha256: string): Promise<number> {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of createReadStream(from)) {
    hash.update(c as Buffer);
    chunks.push(c as Buffer);
    size += (c as Buffer).length;
  }
  const actual = hash.digest('hex');
  if (actual !== sha256) {
    throw fail('evidence', `证据文件 ${sha256} 的内容已改变（现为 ${actual}），不导出；请运行 suiji ledger verify 并从备份恢复`, `the evidence file ${sha256} has changed (its bytes hash to ${actual}); not exported — run suiji ledger verify and restore it from a backup`, { sha256, actual });
  }
  await writeFile(to, Buffer.concat(chunks), { flag: 'wx' });
  return size;
}

export async function exportArchive(store: EventStore, evidence: EvidenceStore, uscc: string, out: string, now: Date = new Date()): Promise<ArchiveExportResult> {
  try {
    if ((await readdir(out)).length > 0) throw fail('--out', `目录 ${out} 不是空的；档案只写入新目录`, `${out} is not empty; an archive is written to a new directory only`, { out });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const head = await store.head();
  const leaves: Uint8Array[] = [];
  const picked: RecordedEvent[] = [];
  const evidenceEvents: RecordedEvent[] = [];
  for (let from = 0; from < head.size; ) {
    const page = await store.readAll({ from, limit: Math.min(1000, head.size - from) });
    if (page.length === 0) break;
    for (const e of page) {
      const leaf = recordedLeafHash(e);
      if (e.position !== leaves.length || bytesToHex(leaf) !== e.hash) {
        throw fail('ledger', `账本在位置 ${leaves.length} 校验失败，不导出档案；请运行 suiji ledger verify`, `the ledger does not verify at position ${leaves.length}; no archive is exported — run suiji ledger verify`, { position: leaves.length });
      }
      leaves.push(leaf);
      if (e.type === 'EvidenceStored') evidenceEvents.push(e);
      else if (aboutTarget(e, uscc, new Set())) picked.push(e);
    }
    from += page.length;
  }
  if (leaves.length !== head.size) throw fail('ledger', `账本应有 ${head.size} 个事件，只读到 ${leaves.length} 个`, `the head says ${head.size} events, ${leaves.length} were read`);
  const levels = merkleLevels(leaves, nodeHashFast);
  const root = bytesToHex(levels[levels.length - 1]?.[0] ?? new Uint8Array(32));
  if (head.size === 0 || root !== head.root) throw fail('ledger', '账本根哈希与头部不符，不导出档案；请运行 suiji ledger verify', 'the ledger root does not match its head; no archive is exported — run suiji ledger verify');
  if (picked.length === 0) throw new SuijiError('NOT_FOUND', { field: 'TARGET', rule: 'E10', uscc }, { zh: `账本中没有关于 ${uscc} 的事件`, en: `no event in the ledger is about ${uscc}` });

  const cited = new Set(picked.flatMap((e) => citedEvidence(e.type, e.payload)));
  for (const e of evidenceEvents) if (aboutTarget(e, uscc, cited)) picked.push(e);
  picked.sort((a, b) => a.position - b.position);
  // As `ledger verify` (non-canonical-row): an archive never vouches for a row whose stored text was respelled.
  const respelled = picked.find((e) => storedTextFault(store, e.position) !== null);
  if (respelled) throw fail('ledger', `账本在位置 ${respelled.position} 校验失败（存储文本不是规范 JCS），不导出档案；请运行 suiji ledger verify`, `the ledger does not verify at position ${respelled.position} (its stored text is not canonical JCS); no archive is exported — run suiji ledger verify`, { position: respelled.position });
  for (const e of picked) for (const h of citedEvidence(e.type, e.payload)) cited.add(h);

  await mkdir(join(out, 'files'), { recursive: true });
  const files: ArchiveFile[] = [];
  const mimes = new Map(evidenceEvents.map((e) => [(e.payload as { sha256: string }).sha256, (e.payload as { mime?: string }).mime ?? null]));
  for (const sha256 of [...cited].sort()) {
    if (!(await evidence.has(sha256))) throw fail('evidence', `证据文件 ${sha256} 缺失，不导出；请从备份恢复`, `the evidence file ${sha256} is missing; not exported — restore it from a backup`, { sha256 });
    const size = await copyVerified(evidence.pathOf(sha256), join(out, 'files', sha256), sha256);
    files.push({ sha256, size, mime: mimes.get(sha256) ?? null, path: `files/${sha256}` });
  }
  const events: ArchiveEntry[] = picked.map((e) => ({
    position: e.position, streamId: e.streamId, type: e.type, actor: e.actor.userId, leafHash: e.hash,
    proof: inclusionProof(levels, e.position).map((p) => bytesToHex(p)), envelope: envelopeOf(e),
  }));
  const index: ArchiveIndex = { format: ARCHIVE_FORMAT, uscc, exportedAt: now.toISOString(), checkpoint: { size: head.size, root }, events, files };
  const indexText = `${JSON.stringify(index, null, 2)}\n`;
  await writeFile(join(out, ARCHIVE_INDEX), indexText, { flag: 'wx' });
  const sums = [{ path: ARCHIVE_INDEX, sha256: createHash('sha256').update(indexText).digest('hex') }, ...files.map((f) => ({ path: f.path, sha256: f.sha256 }))];
  await writeFile(join(out, ARCHIVE_SUMS), formatSums(sums), { flag: 'wx' });
  return { uscc, out, events: events.length, files: files.length, checkpoint: index.checkpoint };
}
