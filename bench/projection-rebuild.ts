import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openRuntime } from '../src/cli/runtime.js';
import { USCC_ALPHABET, usccCheckChar } from '../src/domain/uscc.js';
import type { StreamWrite } from '../src/store/port.js';
import { envInt, rate, writeResult } from './util.js';

const actor = { userId: 'bench', role: 'system', department: 'dept-market' } as const;
const regions = ['370323001', '370323002', '370323100', '370323101', '370323102'];

/** A valid credit code for index i (region 370323, synthetic organisation code). */
function uscc(i: number): string {
  let body = '';
  for (let n = i, k = 0; k < 9; k++, n = Math.floor(n / 31)) body = USCC_ALPHABET[n % 31] + body;
  const first17 = `92370323${body}`;
  return first17 + usccCheckChar(first17);
}

/**
 * Projection rebuild over N events (default 1,000,000): register N/2 targets, then update
 * each once, so the rebuild does both inserts and updates. Times `projections.rebuild()`.
 */
export async function benchProjectionRebuild(): Promise<object> {
  const total = envInt('BENCH_REBUILD_EVENTS', 1_000_000);
  const targets = Math.floor(total / 2);
  const keep = process.env.BENCH_KEEP_DIR;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'suiji-bench-rebuild-'));
  const rt = await openRuntime(dir);
  try {
    const batch = 1_000;
    const t0 = performance.now();
    for (let phase = 0; phase < 2; phase++) {
      for (let start = 0; start < targets; start += batch) {
        const writes: StreamWrite[] = [];
        for (let i = start; i < Math.min(targets, start + batch); i++) {
          const code = uscc(i);
          const payload =
            phase === 0
              ? {
                  uscc: code, name: `沂源县示例商贸有限公司${i}`, entityType: 'enterprise', scale: 'small', industry: 'F5265', region: regions[i % regions.length],
                  jurisdiction: 'dept-market', riskLevel: 'ABCD'[i % 4], creditLevel: 'ABCD'[(i >> 2) % 4],
                  flags: { dishonest: i % 97 === 0, abnormalOperation: i % 89 === 0, keyIndustry: i % 13 === 0, complaintCount: i % 7 },
                  status: 'active',
                }
              : { uscc: code, changes: { riskLevel: 'ABCD'[(i + 1) % 4] }, reason: '年度风险评级调整' };
          writes.push({
            streamId: `target-${code}`,
            expected: phase === 0 ? 'noStream' : 0,
            events: [{ eventId: randomUUID(), type: phase === 0 ? 'TargetRegistered' : 'TargetUpdated', actor, correlationId: 'bench', payload }],
          });
        }
        await rt.store.appendMulti(writes);
      }
    }
    const loadMs = performance.now() - t0;
    const t1 = performance.now();
    const events = await rt.projections.rebuild();
    const rebuildMs = performance.now() - t1;
    const result = {
      events,
      projections: rt.projections.names,
      loadMs: Math.round(loadMs),
      rebuildMs: Math.round(rebuildMs),
      rebuildEventsPerSecond: rate(events, rebuildMs),
      goalEventsPerSecond: 100_000,
    };
    writeResult('projection-rebuild', result);
    return result;
  } finally {
    await rt.close();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}
