/** The witness's per-origin state: durable, never silently forgotten, one run at a time. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WitnessStateDir } from '../../src/app/witness/index.js';
import { SuijiError } from '../../src/domain/errors.js';
import { tempDir } from '../helpers/temp-dir.js';

const ORIGIN = 'yiyuan.suiji.example/ledger';
const state = { origin: ORIGIN, size: 7, root: 'ab'.repeat(32), note: 'n', timestamp: 1 };

async function codeOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (e) {
    if (e instanceof SuijiError) return `${e.code}:${String(e.details.reason)}`;
    throw e;
  }
  return 'ok';
}

describe('witness state directory', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('suiji-wstate-');
  });
  afterEach(() => dir.remove());

  it('reads back what it wrote; an origin never cosigned has no state', async () => {
    const s = new WitnessStateDir(join(dir.path, 'state'));
    expect(await s.read(ORIGIN)).toBeNull();
    await s.write(state);
    expect(await s.read(ORIGIN)).toEqual(state);
    expect(await s.read('other.example/log')).toBeNull();
  });

  it('a damaged state file is an error, never "no state" (which would forget the checkpoint and allow a fork)', async () => {
    const s = new WitnessStateDir(dir.path);
    await s.write(state);
    writeFileSync(join(dir.path, `${encodeURIComponent(ORIGIN)}.json`), '{"origin":"yiyuan.suiji.example/ledger","size":7');
    expect(await codeOf(() => s.read(ORIGIN))).toBe('VALIDATION_FAILED:state-damaged');
  });

  it('a second run on the same origin is refused while the first holds the lock (two runs would each check against the same old state)', async () => {
    const s = new WitnessStateDir(dir.path);
    const unlock = await s.lock(ORIGIN);
    expect(await codeOf(() => s.lock(ORIGIN))).toBe('ALREADY_EXISTS:locked');
    await unlock();
    const again = await s.lock(ORIGIN);
    await again();
  });

  it('the lock of a process that died is taken over', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(dir.path, `${encodeURIComponent(ORIGIN)}.lock`), dead.stdout);
    const unlock = await new WitnessStateDir(dir.path).lock(ORIGIN);
    await unlock();
  });
});
