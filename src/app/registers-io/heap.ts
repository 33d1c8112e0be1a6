import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full collection, in
 * percent, while a process runs an import (issue 13, peak RSS < 300 MiB at 1,000,000 rows).
 *
 * An import keeps ~30 MiB live (one batch, the key index) but makes garbage at every row;
 * V8's own growing factor (up to ×4 when collection is cheap beside the work) let the heap sit at
 * 100–160 MiB for 30 MiB of live objects. At 50 (×1.5) a 100,000-row CSV import peaked at
 * 168 MiB RSS instead of 260 MiB, at 0.96 of the rate (docs/performance.md "Imports", third pass).
 */
export const IMPORT_HEAP_GROWING_PERCENT = 50;

/**
 * Bounds heap growth for the rest of the process: only for a process whose job is the import
 * (`suiji import`, the import bench's child), never the server, where one request must not
 * change how every other is collected. The flag is V8's `--heap-growing-percent`, read each
 * time V8 sets the next collection's limit, so it holds from the next collection on.
 */
export function boundHeapGrowthForImport(percent: number = IMPORT_HEAP_GROWING_PERCENT): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
