/**
 * The ledger's latest checkpoint kept outside the database file (issue 7 §4), so that a lost
 * WAL tail, a restored old copy or a swapped file is noticed at the next start. The file is
 * the C2SP checkpoint body of src/verify/checkpoint.ts, replaced atomically (temp file, fsync,
 * rename, fsync of the directory). It is written only after a commit, so it may lag the
 * database (a kill -9 between the two) but is never ahead of what was committed.
 */
import { constants } from 'node:fs';
import { open, rename, readFile, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { SuijiError } from '../domain/errors.js';
import { CheckpointParseError, formatCheckpoint, MAX_CHECKPOINT_CHARS, parseCheckpoint, type LogCheckpoint } from '../verify/checkpoint.js';
import { checkExtends, type ExtensionFault } from './root-at.js';
import type { EventStore, LedgerHead } from './port.js';
import { fsyncDir } from './fsync-dir.js';

export const CHECKPOINT_FILE = 'checkpoint';

/** The log's name when `SUIJI_LOG_ORIGIN` is not set: the demo deployment's. */
export const DEFAULT_LOG_ORIGIN = 'yiyuan.suiji.example/ledger';
/**
 * The log's name — the one setting for the C2SP checkpoint origin line: of this file, of the
 * signed checkpoints and the signing key's name (src/app/ledger/keys.ts), of the feed's source.
 * `SUIJI_LOG_ORIGIN` names a deployment (e.g. `suiji.yiyuan.gov.cn/ledger`); unset or empty:
 * DEFAULT_LOG_ORIGIN. Read when used, so a test or a second deployment can set it per process.
 */
export const defaultLogOrigin = (): string => {
  const v = process.env.SUIJI_LOG_ORIGIN;
  return v === undefined || v === '' ? DEFAULT_LOG_ORIGIN : v;
};

/** The checkpoint in `file`, or null when there is none. A malformed file is a coded error naming it. */
export async function readCheckpointFile(file: string, field = 'checkpoint'): Promise<LogCheckpoint | null> {
  let text: string;
  try {
    const handle = await open(file, constants.O_RDONLY);
    try {
      const buf = Buffer.alloc(MAX_CHECKPOINT_CHARS + 1);
      const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      text = buf.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SuijiError('STORE_UNAVAILABLE', { field, file, reason: 'checkpoint-unreadable', message: String(err) }, {
      zh: `无法读取检查点文件 ${file}`,
      en: `Cannot read the checkpoint file ${file}`,
    });
  }
  try {
    return parseCheckpoint(text);
  } catch (err) {
    const code = err instanceof CheckpointParseError ? err.code : 'unparseable';
    throw new SuijiError('VALIDATION_FAILED', { field, file, reason: code }, {
      zh: `检查点文件 ${file} 格式错误（${code}）`,
      en: `Checkpoint file ${file} is malformed (${code})`,
    });
  }
}


/** Replaces `file` atomically with the checkpoint of `head`. */
export async function writeCheckpointFile(file: string, head: LedgerHead, origin: string = defaultLogOrigin()): Promise<void> {
  const text = formatCheckpoint({ origin, size: head.size, root: head.root });
  // Unique per writer: several processes may serve one ledger.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const h = await open(tmp, 'wx');
  try {
    await h.writeFile(text, 'utf8');
    await h.sync();
  } finally {
    await h.close();
  }
  try {
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dirname(file));
}

/**
 * Keeps the file current after appends without blocking them: heads are coalesced (only the
 * largest waiting one is written), one write at a time. Several processes on one ledger each
 * write their own latest head; the file may then briefly name an older one — still a prefix
 * of the database, which is all the start check needs.
 */
export class CheckpointKeeper {
  private pending: LedgerHead | null = null;
  private running: Promise<void> | null = null;

  constructor(
    readonly file: string,
    private writtenSize: number,
    private readonly onError: (err: unknown) => void,
    private readonly origin: string = defaultLogOrigin(),
  ) {}

  /** Called after a commit with the new head. */
  record(head: LedgerHead): void {
    if (head.size <= Math.max(this.writtenSize, this.pending?.size ?? -1)) return;
    this.pending = head;
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  private async drain(): Promise<void> {
    while (this.pending) {
      const head = this.pending;
      this.pending = null;
      try {
        await writeCheckpointFile(this.file, head, this.origin);
        this.writtenSize = Math.max(this.writtenSize, head.size);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  /** Resolves once every recorded head is on disk (or failed and was reported). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }
}

export interface CheckpointGuardOptions {
  readonly file: string;
  /** Start anyway on a ledger that does not extend the file; the old file is kept aside as evidence. */
  readonly acceptRollback?: boolean;
  readonly warn: (message: string, details: Record<string, unknown>) => void;
  /** The origin line of the files written; default: the kept file's own, else defaultLogOrigin(). */
  readonly origin?: string;
}

function rolledBack(file: string, fault: ExtensionFault): SuijiError {
  const why =
    fault.reason === 'shorter'
      ? { zh: `账本只有 ${fault.size} 条事件，检查点 ${file} 记录了 ${fault.checkpointSize} 条：末尾事件已丢失或被回滚`, en: `the ledger has ${fault.size} events but ${file} records ${fault.checkpointSize}: its tail was lost or rolled back` }
      : { zh: `账本前 ${fault.checkpointSize} 条事件的根与检查点 ${file} 不同：这是另一份历史`, en: `the root of the ledger's first ${fault.checkpointSize} events differs from ${file}: another history` };
  return new SuijiError('LEDGER_ROLLED_BACK', { field: 'checkpoint', file, ...fault }, {
    zh: `拒绝启动：${why.zh}（确认无误后可用 --accept-rollback 启动）`,
    en: `Refusing to start: ${why.en} (start with --accept-rollback once you have established why)`,
  });
}

/**
 * At start: the ledger must extend the checkpoint kept in `file`. Then returns a keeper that
 * the store's commit hook feeds. With `acceptRollback`, a ledger that does not extend it is
 * logged, the file renamed to `<file>.rejected-<time>` and replaced by the current head.
 *
 * Only size and root are compared, never the origin line: a data directory whose file was
 * written under another name (before 2026-12 the file's default was `suiji.local/ledger`) keeps
 * starting, and the file keeps the name it was created with — like the signing key, whose name
 * is fixed when `suiji keys init` makes it — so a changed setting never rewrites history's label.
 */
export async function guardCheckpoint(store: Pick<EventStore, 'head' | 'checkpoints' | 'readAll'>, options: CheckpointGuardOptions): Promise<CheckpointKeeper> {
  const kept = await readCheckpointFile(options.file);
  const head = await store.head();
  const fault = kept ? await checkExtends(store, kept) : null;
  if (fault) {
    const err = rolledBack(options.file, fault);
    if (!options.acceptRollback) throw err;
    const aside = join(dirname(options.file), `${CHECKPOINT_FILE}.rejected-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    await rename(options.file, aside);
    options.warn(`ROLLBACK ACCEPTED by --accept-rollback: ${err.messageEn}; the old checkpoint is kept as ${aside}`, { ...err.details, keptAs: aside, head });
  }
  const keeper = new CheckpointKeeper(options.file, fault || !kept ? -1 : kept.size, (e) => options.warn(`checkpoint file not written: ${String(e)}`, { file: options.file }), options.origin ?? kept?.origin ?? defaultLogOrigin());
  keeper.record(head);
  await keeper.flush();
  return keeper;
}
