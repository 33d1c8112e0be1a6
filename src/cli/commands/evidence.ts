import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { EvidenceService } from '../../app/evidence/index.js';
import { visitIdSchema } from '../../domain/evidence/index.js';
import { SuijiError } from '../../domain/errors.js';
import { EvidenceStore, SHA256_HEX, evidenceLimitsFromEnv, malformedSha256, type BlobCheck } from '../../store/evidence/index.js';
import { actingUserId, userRequired } from '../cli-actor.js';
import { act, type CliContext, type ExitBox } from '../context.js';
import { dataDirOf, dataOption, userOption } from '../options.js';
import { actingAs, checked, printer, withRuntime, type Opened } from './workflow-common.js';

const visitQuery = { type: 'object', properties: { visitId: visitIdSchema } } as const;

const fileRefused = (file: string, reason: string): SuijiError =>
  new SuijiError('VALIDATION_FAILED', { field: 'FILE', rule: 'E10', file, reason }, { zh: `E10：无法读取证据文件 ${file}（${reason}）`, en: `E10: cannot read the evidence file ${file} (${reason})` });

/**
 * `suiji evidence put|verify` (E10): the console side of POST /evidence, and the check that every
 * evidence file the ledger names is still there with the bytes it recorded.
 */
export function registerEvidence(program: Command, ctx: CliContext, box: ExitBox): void {
  const evidence = program.command('evidence').description('证据文件（一对象一档案） / evidence files of the whole-process record (E10)');
  const print = printer(ctx);

  evidence
    .command('put')
    .description('存入一个证据文件并记入账本（类型按内容识别） / store an evidence file and record it in the ledger (type sniffed from the bytes)')
    .argument('<file>', '文件路径 / file path')
    .option('--visit <id>', '所属检查（上门）编号 / the visit it belongs to')
    .option('--name <name>', '显示用文件名（默认取文件名） / display name (default: the file\'s name)')
    .addOption(dataOption())
    .addOption(userOption())
    .action(
      act(box, (file: string, opts: Opened & { visit?: string; name?: string }) => {
        if (actingUserId(opts.user) === undefined) throw userRequired();
        // The same pattern as POST /evidence?visitId=, refused before anything is opened.
        checked(visitQuery, opts.visit === undefined ? {} : { visitId: opts.visit }, 'evidence put');
        let isFile = false;
        try {
          isFile = statSync(file).isFile();
        } catch (e) {
          throw fileRefused(file, (e as NodeJS.ErrnoException).code ?? 'unreadable');
        }
        if (!isFile) throw fileRefused(file, 'not a regular file');
        const store = new EvidenceStore(dataDirOf(opts), evidenceLimitsFromEnv());
        return withRuntime(ctx, opts, true, async (rt) => {
          const service = new EvidenceService({ store: rt.store, projections: rt.projections, evidence: store });
          const meta = await actingAs(rt, opts, 'evidence.write');
          const fileName = (opts.name ?? basename(file)).slice(0, 255);
          print(await service.upload(meta, createReadStream(file), { ...(fileName !== '' ? { fileName } : {}), ...(opts.visit !== undefined ? { visitId: opts.visit } : {}) }));
          return 0;
        });
      }),
    );

  evidence
    .command('verify')
    .description('重新计算证据文件的 SHA-256；不给哈希时检查账本记录的全部证据 / re-hash evidence blobs; with none given, every one the ledger records (exit 1 if any is missing or changed)')
    .argument('[sha256...]', '证据哈希 / evidence hashes')
    .addOption(dataOption())
    .action(
      act(box, (hashes: string[], opts: Opened) => {
        for (const h of hashes) if (!SHA256_HEX.test(h)) throw malformedSha256('sha256', h);
        const store = new EvidenceStore(dataDirOf(opts), evidenceLimitsFromEnv());
        return withRuntime(ctx, opts, false, async (rt) => {
          const wanted = hashes.length > 0 ? [...new Set(hashes)] : await new EvidenceService({ store: rt.store, projections: rt.projections, evidence: store }).referencedHashes();
          const checks: BlobCheck[] = [];
          for (const h of wanted) checks.push(await store.verify(h));
          const bad = checks.filter((c) => c.status !== 'ok');
          for (const c of bad) ctx.err(`${c.status === 'missing' ? '缺失 / MISSING' : '已改动 / CHANGED'} ${c.sha256}${c.status === 'changed' ? ` → ${c.actual}` : ''}\n`);
          print({ checked: checks.length, ok: checks.length - bad.length, missing: bad.filter((c) => c.status === 'missing').map((c) => c.sha256), changed: bad.filter((c) => c.status === 'changed').map((c) => c.sha256) });
          return bad.length > 0 ? 1 : 0;
        });
      }),
    );
}
