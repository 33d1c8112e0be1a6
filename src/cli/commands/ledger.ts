import type { Command } from 'commander';
import { join } from 'node:path';
import { SuijiError } from '../../domain/errors.js';
import { act, type CliContext, type ExitBox } from '../context.js';
import { dataDirOf, dataOption, storeOption } from '../options.js';
import { CHECKPOINT_FILE, readCheckpointFile, storeLocationOf, verifyStoreLedger, type LedgerHead } from '../../store/index.js';
import { EvidenceStore, type BlobCheck } from '../../store/evidence/index.js';
import { registerLedgerPublic } from './ledger-public.js';

/**
 * `suiji ledger verify [--data DIR] [--store URL] [--checkpoint FILE]`: exit 0 when every leaf and the root
 * match and the ledger extends every checkpoint given, 1 naming the first bad position. The
 * checkpoints are `--checkpoint FILE` (one kept elsewhere: a copy, a newspaper, a witness)
 * and the server's own `<data>/checkpoint` when present — so a lost tail or a restored old
 * copy is caught (issue 7 §4). Opens the file without creating it and never runs projections,
 * so verification cannot invent an empty ledger or change anything.
 *
 * By default it also re-hashes every evidence blob an `EvidenceStored` event names (E10: the
 * ledger proves the evidence unchanged only if someone checks): a missing or changed blob is a
 * failure (exit 1). The hashes are collected in the same pass over the ledger; the cost is reading
 * every blob once (the disk's read speed — docs/evidence.md). `--no-evidence` skips it for a quick
 * check of the ledger alone.
 */
export function registerLedger(program: Command, ctx: CliContext, box: ExitBox): void {
  const ledger = program.command('ledger').description('账本 / the ledger');
  registerLedgerPublic(ledger, ctx, box);
  ledger
    .command('verify')
    .description('重算每个叶哈希与默克尔根，并核对账本延续检查点 / recompute every leaf hash and the Merkle root, and check the ledger extends FILE and <data>/checkpoint')
    .addOption(dataOption())
    .addOption(storeOption())
    .option('--checkpoint <file>', '在别处保存的检查点 / a checkpoint kept elsewhere (a copy, a newspaper, a witness)')
    .option('--no-evidence', '不重算证据文件哈希（只核验账本） / skip re-hashing the evidence files (the ledger only)')
    .action(act(box, (opts: { data?: string; store?: string; checkpoint?: string; evidence: boolean }) => verify(opts, ctx.out)));
}

async function verify(opts: { data?: string; store?: string; checkpoint?: string; evidence?: boolean }, out: (line: string) => void): Promise<number> {
  const dataDir = dataDirOf(opts);
  const given = opts.checkpoint;
  const trusted: (LedgerHead & { from: string })[] = [];
  if (given !== undefined) {
    const cp = await readCheckpointFile(given, '--checkpoint');
    if (!cp) {
      throw new SuijiError('VALIDATION_FAILED', { field: '--checkpoint', file: given, reason: 'not-found' }, {
        zh: `检查点文件 ${given} 不存在`,
        en: `Checkpoint file ${given} does not exist`,
      });
    }
    trusted.push({ size: cp.size, root: cp.root, from: given });
  }
  const own = join(dataDir, CHECKPOINT_FILE);
  const kept = await readCheckpointFile(own);
  if (kept) trusted.push({ size: kept.size, root: kept.root, from: own });

  const blobs = new Set<string>();
  // onPayload, not onEvent: only EvidenceStored payloads are parsed, and SQLite keeps its stored-text pass.
  const onPayload = opts.evidence === false ? undefined : (type: string, payload: () => unknown): void => {
    if (type !== 'EvidenceStored') return;
    const sha = (payload() as { sha256?: unknown } | null)?.sha256;
    if (typeof sha === 'string') blobs.add(sha);
  };
  const report = await verifyStoreLedger({ dataDir, store: storeLocationOf(opts.store) }, { trusted, ...(onPayload ? { onPayload } : {}) });
  if (report.ok) {
    out(`账本完整 / ledger intact: ${report.size} events, root ${report.root}, ${report.checkpoints} checkpoints`);
    for (const t of trusted) out(`延续检查点 / extends checkpoint ${t.from}: size ${t.size}, root ${t.root}`);
    return onPayload ? verifyEvidence(dataDir, [...blobs].sort(), out) : 0;
  }
  const range = report.until !== undefined && report.until > report.position + 1 ? ` (somewhere in [${report.position}, ${report.until}))` : '';
  out(`账本校验失败 / ledger verification FAILED at position ${report.position}${range}: ${report.reason} — ${report.detail}`);
  if (report.reason === 'shorter-than-trusted-checkpoint' || report.reason === 'trusted-checkpoint-mismatch') {
    out(`检查点 / checkpoints checked: ${trusted.map((t) => `${t.from} (size ${t.size})`).join(', ')}`);
  }
  return 1;
}

/** E10: every blob the ledger names, re-hashed; one line per missing or changed blob, exit 1 if any. */
async function verifyEvidence(dataDir: string, hashes: readonly string[], out: (line: string) => void): Promise<number> {
  const store = new EvidenceStore(dataDir);
  const bad: BlobCheck[] = [];
  for (const h of hashes) {
    const c = await store.verify(h);
    if (c.status !== 'ok') bad.push(c);
  }
  for (const c of bad) {
    if (c.status === 'missing') out(`证据文件缺失 / evidence MISSING ${c.sha256}`);
    else if (c.status === 'changed') out(`证据文件已改动 / evidence CHANGED ${c.sha256}: its bytes now hash to ${c.actual}`);
  }
  if (bad.length > 0) {
    out(`证据校验失败 / evidence verification FAILED: ${bad.length} of ${hashes.length} files missing or changed`);
    return 1;
  }
  out(`证据完整 / evidence intact: ${hashes.length} files re-hashed`);
  return 0;
}
