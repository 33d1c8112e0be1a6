/**
 * Issue 13: a `suiji projections rebuild` killed (SIGKILL) in the middle leaves read models that
 * the next open completes to exactly what a finished rebuild gives — never a half model that
 * claims to be current. Real ledger file, real CLI process, real kill.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openRuntime } from '../../src/cli/runtime.js';
import { USCC_ALPHABET, usccCheckChar } from '../../src/domain/uscc.js';
import { queryTargets } from '../../src/projections/registers/index.js';
import type { StreamWrite } from '../../src/store/port.js';
import { cliPath } from '../cli/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const actor = { userId: 'u-rebuild', role: 'system', department: 'dept-market' } as const;
const TARGETS = 30_000; // 60,000 events: three rebuild pages, so a kill can land between them

function uscc(i: number): string {
  let body = '';
  for (let n = i, k = 0; k < 9; k++, n = Math.floor(n / 31)) body = USCC_ALPHABET[n % 31] + body;
  const first17 = `92370323${body}`;
  return first17 + usccCheckChar(first17);
}

/** Every regular read-model table, rows in a fixed order (the FTS index is checked through a name search). */
function dump(db: Database.Database): Record<string, unknown[]> {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'reg_target_name%' ORDER BY name")
    .pluck()
    .all() as string[];
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).raw().all()]));
}

const indexesOf = (db: Database.Database): string[] =>
  db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").pluck().all() as string[];

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

describe('a rebuild killed half-way', () => {
  it('issue 13: SIGKILL during `suiji projections rebuild` leaves a usable state — the next open completes it to what a finished rebuild gives', async () => {
    expect(existsSync(cliPath), `${cliPath} missing: run npm run build`).toBe(true);
    const dir = tempDir('suiji-rebuild-kill-');
    cleanups.push(dir.remove);
    let rt = await openRuntime(dir.path);
    for (let phase = 0; phase < 2; phase++) {
      for (let start = 0; start < TARGETS; start += 1000) {
        const writes: StreamWrite[] = [];
        for (let i = start; i < start + 1000; i++) {
          const code = uscc(i);
          const payload =
            phase === 0
              ? {
                  uscc: code, name: `沂源县示例商贸有限公司${i}`, entityType: 'enterprise', scale: 'small', industry: 'F5265', region: '370323001',
                  jurisdiction: 'dept-market', riskLevel: 'ABCD'[i % 4], creditLevel: 'ABCD'[(i >> 2) % 4],
                  flags: { dishonest: i % 97 === 0, abnormalOperation: i % 89 === 0, keyIndustry: i % 13 === 0, complaintCount: i % 7 },
                  status: 'active',
                }
              : { uscc: code, changes: { riskLevel: 'ABCD'[(i + 1) % 4], ...(i % 5 === 0 ? { name: `沂源县更名药房${i}` } : {}) }, reason: '年度调整' };
          writes.push({
            streamId: `target-${code}`,
            expected: phase === 0 ? 'noStream' : 0,
            events: [{ eventId: randomUUID(), type: phase === 0 ? 'TargetRegistered' : 'TargetUpdated', actor, correlationId: 'kill', payload }],
          });
        }
        await rt.store.appendMulti(writes);
      }
    }
    await rt.projections.catchUp();
    const live = dump(rt.projectionDb);
    const liveIndexes = indexesOf(rt.projectionDb);
    const search = (db: Database.Database): ReturnType<typeof queryTargets> => queryTargets(db, {}, { limit: 50 }, { name: '更名药房1' });
    const liveSearch = search(rt.projectionDb);
    await rt.close();
    expect(live['reg_targets']).toHaveLength(TARGETS);
    expect(liveSearch.items.length).toBeGreaterThan(0);

    // Kill the rebuild once its checkpoint shows a page applied but not the last one. The poll may
    // miss the window on a loaded machine; then the rebuild is run and killed again.
    const events = 2 * TARGETS;
    let killedAt = -1;
    for (let attempt = 0; attempt < 5 && killedAt < 0; attempt++) {
      const child = spawn(process.execPath, [cliPath, 'projections', 'rebuild', '--data', dir.path], { stdio: 'ignore' });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      let done = false;
      void exited.then(() => (done = true));
      const watch = new Database(join(dir.path, 'projections.db'), { readonly: true, fileMustExist: true });
      try {
        const position = watch.prepare("SELECT position FROM projection_checkpoints WHERE name = 'registers.targets'").pluck();
        while (!done) {
          let p = -1;
          try {
            p = position.get() as number;
          } catch {
            // busy or mid-schema-change: poll again
          }
          if (p > 0 && p < events) {
            child.kill('SIGKILL');
            killedAt = p;
            break;
          }
          await new Promise((r) => setTimeout(r, 2));
        }
      } finally {
        watch.close();
      }
      await exited;
    }
    expect(killedAt, 'the rebuild was killed between pages').toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(events);

    // The next open: the checkpoint says how far the killed rebuild got; catching up completes it.
    rt = await openRuntime(dir.path);
    cleanups.push(() => void rt.close());
    expect(rt.projections.position).toBe(killedAt);
    expect(await rt.projections.lag()).toBe(events - killedAt);
    await rt.projections.catchUp();
    expect(await rt.projections.lag()).toBe(0);
    expect(dump(rt.projectionDb)).toEqual(live);
    expect(indexesOf(rt.projectionDb)).toEqual(liveIndexes);
    expect(search(rt.projectionDb)).toEqual(liveSearch);
  }, 600_000);
});
