/**
 * Draw service benchmark: a target draw end to end on the SQLite ledger — commit (pool from the
 * register projection, PL5 flags and counts per member), witness reveals, completion, the task's
 * lock (one appendMulti with a PL5 counter stream per counted entity, issue 9), export (replayed
 * from the ledger) and verification. The draw serves an ad-hoc task created first (T3, not
 * timed). Pools of BENCH_DRAW_POOLS targets (default 20000,100000), 5 % drawn.
 *
 *   npx tsc -p tsconfig.json --outDir /tmp/suiji-bench && node /tmp/suiji-bench/bench/draws.js
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { EventCatalogue } from '../src/domain/catalogue.js';
import type { EventDefinition } from '../src/domain/event-definition.js';
import { allEventDefinitions } from '../src/domain/events.js';
import { drawEventDefinitions } from '../src/domain/draws/index.js';
import { DrawService } from '../src/app/draws/service.js';
import { TaskService } from '../src/app/tasks/index.js';
import { allProjections } from '../src/projections/catalogue.js';
import { drawsProjection } from '../src/projections/draws/index.js';
import { ProjectionRunner, openProjectionDb } from '../src/projections/runner.js';
import { openStore } from '../src/store/index.js';
import type { StreamWrite } from '../src/store/port.js';
import { witnessCommitment, verifyDrawRecord } from '../src/verify/index.js';
import { syntheticCodes } from './lottery.js';
import { writeResult } from './util.js';

const actor = { userId: 'bench', role: 'system', department: 'dept-a' } as const;
const op = { userId: 'op', role: 'operator', department: 'dept-a' } as const;
const principal = { userId: 'pr', role: 'principal', department: 'dept-a' } as const;
const NOW = '2026-03-02T02:00:00.000Z';

async function benchDraw(n: number): Promise<object> {
  const dir = mkdtempSync(join(tmpdir(), 'suiji-bench-draws-'));
  const seen = new Set<string>();
  const defs: EventDefinition[] = [...allEventDefinitions, ...drawEventDefinitions].filter((d) => !seen.has(d.type) && (seen.add(d.type), true));
  const catalogue = new EventCatalogue(defs);
  const store = await openStore({ dataDir: dir, validate: (e) => void catalogue.validate(e.type, e.payload) });
  const db = openProjectionDb(dir);
  const all = allProjections();
  const projections = new ProjectionRunner(store, db, all.some((p) => p.name === 'draws') ? all : [...all, drawsProjection]);
  const service = new DrawService({ store, projections });
  const tasks = new TaskService({ store, projections });
  try {
    const ev = (type: string, payload: unknown) => ({ eventId: randomUUID(), type, actor, correlationId: 'bench', payload });
    await store.append('itemList-dept-a', [ev('ItemListVersionPublished', {
      departmentId: 'dept-a', version: 1, reason: 'bench', changes: { added: ['ITEM-G1'], changed: [], removed: [] },
      items: [{ itemId: 'ITEM-G1', name: '检查', targetType: '企业', category: 'general', method: ['onSite'], inspectingBody: 'dept-a', legalBasis: '法', maxRatioBp: 500 }],
    })], 'noStream');
    const codes = syntheticCodes(n);
    for (let i = 0; i < n; i += 5000) {
      const writes: StreamWrite[] = codes.slice(i, i + 5000).map((uscc, j) => ({
        streamId: `target-${uscc}`,
        expected: 'noStream',
        events: [ev('TargetRegistered', {
          uscc, name: `企业${i + j}`, entityType: 'enterprise', scale: 'small', industry: 'F5265', region: '南麻街道', jurisdiction: 'dept-a',
          riskLevel: 'B', creditLevel: 'A', status: 'active',
          flags: { dishonest: false, abnormalOperation: false, keyIndustry: (i + j) % 10 === 0, complaintCount: 0 },
        })],
      }));
      await store.appendMulti(writes);
    }
    await store.append('department-dept-a', [ev('DepartmentRegistered', { departmentId: 'dept-a', name: '科室', kind: 'office', parentDepartment: null, regionCode: '370323', neighbouringRegions: [] })], 'noStream');
    await projections.catchUp();
    const classes = [{ name: 'all', filter: {}, quota: { ratio: { numerator: 1, denominator: 20 } } }];
    const { taskId } = await tasks.create({ actor: op, now: NOW, commandId: randomUUID() }, {
      departmentId: 'dept-a', name: '基准任务', items: ['ITEM-G1'], directional: true, classes, window: { from: '2026-01-01', to: '2026-12-31' },
      executingUnits: ['dept-a'], publishList: false, adHoc: true, adHocReason: 'bench',
    });
    const secrets = ['alpha', 'beta'];
    const entropy = { witnesses: { members: secrets.map((s) => ({ id: s, commitment: witnessCommitment(s) })), minReveals: 2, onMissing: 'abandon' as const } };
    const meta = () => ({ actor: op, now: NOW, commandId: randomUUID() });
    const t0 = performance.now();
    const drawId = await service.commitTargets(meta(), {
      task: taskId, item: 'ITEM-G1', classes, entropy, revealDeadline: '2026-03-02T03:00:00.000Z',
    });
    const t1 = performance.now();
    for (const s of secrets) await service.revealWitness(meta(), drawId, { witness: s, secret: s });
    const t2 = performance.now();
    const record = await service.complete(meta(), drawId);
    const t3a = performance.now();
    const locked = await tasks.lock({ actor: principal, now: NOW, commandId: randomUUID() }, taskId, drawId);
    const t3 = performance.now();
    const exported = await service.exportRecord(drawId);
    const t4 = performance.now();
    const verdict = verifyDrawRecord(JSON.parse(JSON.stringify(exported)));
    const t5 = performance.now();
    if (!verdict.ok) throw new Error(`verification failed: ${JSON.stringify(verdict)}`);
    const merged = 'merged' in record.result ? record.result.merged : [];
    const keyIndustry = new Set(codes.filter((_, i) => i % 10 === 0));
    const counted = merged.filter((id) => !keyIndustry.has(id)).length;
    const countersWritten = locked.events.filter((e) => e === 'DrawCounted').length;
    if (countersWritten !== counted) throw new Error(`lock counted ${countersWritten}, expected ${counted}`);
    return {
      pool: n,
      drawn: merged.length,
      /** PL5 counter streams appended in the lock's one appendMulti (key-industry targets are exempt). */
      counterStreamsWritten: counted,
      ms: {
        commit: Math.round(t1 - t0),
        // Since issue 7 §1 the last reveal completes the draw in the same append (reveal + DrawCompleted),
        // so it includes the completion; `complete` is the idempotent answer for a completed draw.
        revealTwoWitnesses: Math.round(t2 - t1),
        complete: Math.round(t3a - t2),
        // Issue 9: TaskListLocked and the PL5 counters, one appendMulti.
        lock: Math.round(t3 - t3a),
        exportReplay: Math.round(t4 - t3),
        verify: Math.round(t5 - t4),
      },
    };
  } finally {
    await projections.stop();
    db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchDraws(): Promise<object> {
  const sizes = (process.env.BENCH_DRAW_POOLS ?? '20000,100000').split(',').map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
  const runs = [];
  for (const n of sizes) runs.push(await benchDraw(n));
  const result = { runs };
  writeResult('draws', result);
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchDraws();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
