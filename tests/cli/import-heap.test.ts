import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';

// V8's flags are process-wide: the spy records the call and forwards it, as the real module would.
const setFlags = vi.hoisted(() => vi.fn<(flags: string) => void>());
vi.mock('node:v8', async (original) => {
  const v8 = await original<typeof import('node:v8')>();
  return { ...v8, default: { ...v8, setFlagsFromString: setFlags }, setFlagsFromString: setFlags };
});

const { runProgram } = await import('../../src/cli/program.js');
const { boundHeapGrowthForImport, IMPORT_HEAP_GROWING_PERCENT } = await import('../../src/app/registers-io/index.js');

const dirs: { remove: () => void }[] = [];
afterAll(() => dirs.splice(0).forEach((d) => d.remove()));

/**
 * Issue 13 (peak RSS < 300 MiB at 1,000,000 rows): a process that runs an import bounds V8's heap
 * growth, which let the heap sit at 100–160 MiB for ~30 MiB of live data (docs/performance.md
 * "Imports", third pass). The server does not
 * (src/app/registers-io/heap.ts says why).
 */
describe('heap growth during an import (issue 13)', () => {
  it('boundHeapGrowthForImport sets --heap-growing-percent', () => {
    setFlags.mockClear();
    boundHeapGrowthForImport();
    expect(setFlags).toHaveBeenCalledWith(`--heap-growing-percent=${IMPORT_HEAP_GROWING_PERCENT}`);
    expect(IMPORT_HEAP_GROWING_PERCENT).toBeGreaterThan(0);
  });

  it('suiji import bounds it before it opens the ledger', async () => {
    const d = tempDir('suiji-import-heap-');
    dirs.push(d);
    const file = join(d.path, 'targets.csv');
    writeFileSync(file, '统一社会信用代码,名称\n');
    setFlags.mockClear();
    const ctx = { out: () => undefined, write: () => undefined, err: () => undefined, openDraw: () => Promise.reject(new Error('unused')) };
    // An unknown user on an empty ledger: the command stops with a coded error after the bound is set.
    await runProgram(['import', 'targets', file, '--data', join(d.path, 'data'), '--user', 'nobody'], ctx).catch(() => undefined);
    expect(setFlags).toHaveBeenCalledWith(`--heap-growing-percent=${IMPORT_HEAP_GROWING_PERCENT}`);
  });
});
