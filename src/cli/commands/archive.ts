import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Command } from 'commander';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { exportArchive } from '../../app/archive/index.js';
import { validateUscc } from '../../domain/uscc.js';
import { EvidenceStore, evidenceLimitsFromEnv } from '../../store/evidence/index.js';
import { verifyArchive, type ArchiveReader } from '../../verify/index.js';
import { act, type CliContext, type ExitBox } from '../context.js';
import { dataDirOf, dataOption } from '../options.js';
import { printer, withRuntime, type Opened } from './workflow-common.js';

const isCode = (e: unknown, code: string): boolean => (e as NodeJS.ErrnoException | null)?.code === code;

/**
 * The archive directory as src/verify/archive.ts reads it: node:fs for the bytes, @noble for the
 * hashes — no store, no data directory, so `archive verify` runs on an auditor's machine.
 */
function dirReader(dir: string): ArchiveReader {
  const orNull = async <T>(f: () => Promise<T>): Promise<T | null> => {
    try {
      return await f();
    } catch (e) {
      if (isCode(e, 'ENOENT') || isCode(e, 'EISDIR') || isCode(e, 'ENOTDIR')) return null;
      throw e;
    }
  };
  const walk = async (at: string): Promise<string[]> => {
    const out: string[] = [];
    for (const d of await readdir(at, { withFileTypes: true })) {
      const p = join(at, d.name);
      if (d.isDirectory()) out.push(...(await walk(p)));
      else out.push(relative(dir, p).split(sep).join('/'));
    }
    return out;
  };
  return {
    read: (path) => orNull(async () => new Uint8Array(await readFile(join(dir, path)))),
    hash: (path) =>
      orNull(async () => {
        if (path.split('/').includes('..') || !(await stat(join(dir, path))).isFile()) return null;
        const h = sha256.create();
        let size = 0;
        for await (const c of createReadStream(join(dir, path))) {
          h.update(c as Buffer);
          size += (c as Buffer).length;
        }
        return { sha256: bytesToHex(h.digest()), size };
      }),
    list: () => walk(dir),
  };
}

/** `suiji archive export|verify` (E10, 一对象一档案): docs/inspections.md "The archive". */
export function registerArchive(program: Command, ctx: CliContext, box: ExitBox): void {
  const archive = program.command('archive').description('一对象一档案 / one archive per target (E10)');
  const print = printer(ctx);

  archive
    .command('export')
    .description('导出检查对象的档案：事件、叶哈希、包含证明、证据文件与 SHA256SUMS / write the target\'s archive: events with leaf hashes and inclusion proofs, evidence files, SHA256SUMS')
    .argument('<uscc>', '统一社会信用代码 / the target\'s credit code')
    .requiredOption('--out <dir>', '新的（或空的）输出目录 / a new (or empty) output directory')
    .addOption(dataOption())
    .action(
      act(box, (uscc: string, opts: Opened & { out: string }) => {
        const bad = validateUscc(uscc, 'TARGET');
        if (bad) throw bad;
        const evidence = new EvidenceStore(dataDirOf(opts), evidenceLimitsFromEnv());
        return withRuntime(ctx, opts, false, async (rt) => {
          print(await exportArchive(rt.store, evidence, uscc, opts.out));
          return 0;
        });
      }),
    );

  archive
    .command('verify')
    .description('离线核验档案（无需数据目录） / check an archive offline (no data directory): file hashes, leaf hashes, inclusion proofs')
    .argument('<dir>', '档案目录 / the archive directory')
    .action(
      act(box, async (dir: string) => {
        const v = await verifyArchive(dirReader(dir));
        if (!v.ok) {
          ctx.out(`档案校验失败 / archive verification FAILED at ${v.at}: ${v.reason} — ${v.detail}`);
          return 1;
        }
        ctx.out(`档案完整 / archive intact: ${v.uscc}, ${v.events} events, ${v.files} files, under checkpoint size ${v.checkpoint.size} root ${v.checkpoint.root}`);
        ctx.out('请将此根与公布的检查点核对 / compare this root with a checkpoint published elsewhere');
        return 0;
      }),
    );
}
