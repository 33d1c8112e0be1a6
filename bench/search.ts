/**
 * Name search (`GET /targets?name=`, issue 8 §4) over a large comprehensive register: one page
 * plus the total through `queryTargets` (the trigram index), against the raw full scan the
 * search used to be (`count(*) … WHERE name LIKE`) in the same run.
 *
 *   BENCH_SEARCH_TARGETS (default 1000000)   targets in the projection
 *   BENCH_SEARCH_RUNS (default 5)            runs per query; the median is reported
 *
 * Loading takes the rebuild path of the real projection: beforeRebuild, synthetic
 * TargetRegistered events applied in one transaction, afterRebuild, then the name index built
 * to the end in the slices a server would run after a rebuild; the index build is timed on its own. The demo generator's names repeat a few words, so
 * each name gets a two-character trade name (字号) from 120 common characters (14,400 pairs),
 * as real names have.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoTargets } from '../src/cli/demo/index.js';
import { likeSubstring, queryTargets, targetsProjection } from '../src/projections/registers/index.js';
import { openProjectionDb } from '../src/projections/runner.js';
import type { RecordedEvent } from '../src/store/port.js';
import { envInt, writeResult } from './util.js';

const actor = { userId: 'bench', role: 'system', department: 'system' } as const;
const recorded = (position: number, payload: unknown): RecordedEvent => ({
  position, streamId: 'bench', revision: 0, eventId: `bench-${position}`, type: 'TargetRegistered', schemaVersion: 1,
  recordedAt: '2026-01-05T01:00:00.000Z', actor, correlationId: 'bench', causationId: null, payload, hash: '',
});

const CHARS = [...'福利民兴隆盛泰昌鑫源恒通达顺丰华宝金玉祥瑞德和康安广汇聚鼎新天明星光辉宏伟强富贵永久长春荣发鸿运东西南北中山水林田湖海江河云龙凤鹏佳美丽雅乐欣悦喜庆红绿青蓝百千万亿一二三四五六七八九十大小方圆正直信义仁智礼忠孝诚友好家乡村镇街道路桥'].slice(0, 120);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (ms: number): number => Math.round(ms * 10) / 10;

function timeRuns<T>(runs: number, fn: () => T): { ms: number; max: number; last: T } {
  const times: number[] = [];
  let last = fn(); // warm-up: page cache and statement preparation
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = fn();
    times.push(performance.now() - t0);
  }
  return { ms: round(median(times)), max: round(Math.max(...times)), last };
}

export async function benchSearch(): Promise<object> {
  const n = envInt('BENCH_SEARCH_TARGETS', 1_000_000);
  const runs = Math.max(1, envInt('BENCH_SEARCH_RUNS', 5));
  const dir = mkdtempSync(join(tmpdir(), 'suiji-bench-search-'));
  const db = openProjectionDb(dir);
  try {
    targetsProjection.reset(db);
    targetsProjection.setup(db);
    targetsProjection.beforeRebuild!(db);
    let position = 0;
    const sample: string[] = [];
    const t0 = performance.now();
    db.transaction(() => {
      for (const t of demoTargets(20261201, n)) {
        const k = position;
        const tradeName = CHARS[(k * 7919) % CHARS.length]! + CHARS[(k * 104729 + (k >> 3)) % CHARS.length]!;
        const name = `${t.name.slice(0, 3)}${tradeName}${t.name.slice(3)}`;
        if (k === Math.floor(n / 2)) sample.push(name);
        targetsProjection.apply(db, recorded(position++, { ...t, name }));
      }
    })();
    const loadMs = performance.now() - t0;
    const t1 = performance.now();
    db.transaction(() => targetsProjection.afterRebuild!(db))();
    // The index is built after a rebuild, a slice per call (name-index.ts): here to the end, before any search.
    while (targetsProjection.background!(db));
    const indexMs = performance.now() - t1;
    db.pragma('optimize');

    const one = sample[0]!;
    const searches: Record<string, string> = {
      wholeNameOfOneTarget: one,
      threeCharacters: one.slice(3, 6),
      twoCharacterTradeName: one.slice(3, 5),
      twoCharactersCommon: '有限',
      countyPrefixInEveryName: '沂源县',
      absent: '不存在的名称',
      latinAbsent: 'acme',
    };
    const results: Record<string, object> = {};
    for (const [label, text] of Object.entries(searches)) {
      const page = timeRuns(runs, () => queryTargets(db, {}, { limit: 100 }, { name: text }));
      // What the search was before the index: one scan of the register per count (and another per page).
      const raw = timeRuns(runs, () => db.prepare("SELECT count(*) FROM reg_targets WHERE status = 'active' AND name LIKE ? ESCAPE '\\'").pluck().get(likeSubstring(text)) as number);
      results[label] = {
        text,
        firstPageWithTotalMs: page.ms,
        firstPageWithTotalMaxMs: page.max,
        total: page.last.total,
        totalCapped: page.last.totalCapped,
        rawFullScanCountMs: raw.ms,
        rawFullScanCount: raw.last,
        speedup: Math.round((raw.ms / Math.max(page.ms, 0.1)) * 10) / 10,
      };
    }
    const result = {
      targets: n,
      loadPath: 'rebuild path: beforeRebuild, synthetic TargetRegistered RecordedEvents applied by targetsProjection.apply in one transaction, afterRebuild, then the name index built to the end (targetsProjection.background)',
      loadMs: Math.round(loadMs),
      nameIndexBuildMs: Math.round(indexMs),
      runsPerQuery: runs,
      statistic: 'median (and max) ms after one warm-up run; the old search was the raw full scan, twice per request (count and page)',
      searches: results,
    };
    writeResult('search', result);
    return result;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
