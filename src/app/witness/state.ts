/**
 * What a witness remembers per log origin: the last checkpoint it cosigned (size, root and the
 * log-signed note). It is written durably (temp file, fsync, rename, fsync of the directory)
 * BEFORE the cosignature leaves the process, so a witness that crashes or is killed right after
 * cosigning still remembers — it can never later cosign a checkpoint inconsistent with one it
 * released. A lock file per origin keeps two runs from checking against the same old state and
 * both cosigning (two forks that each extend it).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { SuijiError } from '../../domain/errors.js';
import { fsyncDir } from '../../store/fsync-dir.js';

export interface WitnessState {
  readonly origin: string;
  readonly size: number;
  /** Lowercase hex. */
  readonly root: string;
  /** The log-signed checkpoint as fetched. */
  readonly note: string;
  /** POSIX seconds of the last cosignature released for this origin. */
  readonly timestamp: number;
}

const fileOf = (dir: string, origin: string, ext: string): string => join(dir, `${encodeURIComponent(origin)}.${ext}`);

function isState(x: unknown): x is WitnessState {
  const s = x as Partial<WitnessState> | null;
  return (
    typeof s === 'object' && s !== null && typeof s.origin === 'string' && Number.isSafeInteger(s.size) && (s.size ?? -1) >= 0 &&
    typeof s.root === 'string' && /^[0-9a-f]{64}$/.test(s.root) && typeof s.note === 'string' && Number.isSafeInteger(s.timestamp)
  );
}

export class WitnessStateDir {
  constructor(readonly dir: string) {}

  /** The state of `origin`, or null before its first cosignature. A damaged file is an error, never "no state" (that would forget a checkpoint). */
  async read(origin: string): Promise<WitnessState | null> {
    const file = fileOf(this.dir, origin, 'json');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    if (!isState(parsed) || parsed.origin !== origin) {
      throw new SuijiError('VALIDATION_FAILED', { field: '--state', file, reason: 'state-damaged' }, {
        zh: `见证状态文件 ${file} 已损坏：不会在不知道上次联署内容的情况下继续`,
        en: `Witness state file ${file} is damaged: not continuing without knowing what was last cosigned`,
      });
    }
    return parsed;
  }

  async write(state: WitnessState): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = fileOf(this.dir, state.origin, 'json');
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const h = await open(tmp, 'wx', 0o600);
    try {
      await h.writeFile(`${JSON.stringify(state, null, 2)}\n`, 'utf8');
      await h.sync();
    } finally {
      await h.close();
    }
    await rename(tmp, file);
    await fsyncDir(this.dir);
  }

  /** Takes the origin's lock (a file created exclusively, holding our pid); a lock of a dead process is taken over. */
  async lock(origin: string): Promise<() => Promise<void>> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = fileOf(this.dir, origin, 'lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const h = await open(file, 'wx', 0o600);
        await h.writeFile(String(process.pid));
        await h.close();
        return () => unlink(file).catch(() => undefined);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const pid = Number(await readFile(file, 'utf8').catch(() => ''));
        if (attempt === 0 && Number.isSafeInteger(pid) && pid > 0 && !alive(pid)) {
          await unlink(file).catch(() => undefined);
          continue;
        }
        throw new SuijiError('ALREADY_EXISTS', { field: '--state', file, reason: 'locked', pid }, {
          zh: `另一个见证进程（${pid}）正在处理 ${origin}（锁文件 ${file}）`,
          en: `Another witness run (${pid}) is working on ${origin} (lock file ${file})`,
        });
      }
    }
    throw new Error('unreachable');
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
