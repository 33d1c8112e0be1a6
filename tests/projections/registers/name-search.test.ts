import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TargetRecord } from '../../../src/domain/registers/index.js';
import { NAME_SEARCH_CAP, queryTargets, targetsProjection } from '../../../src/projections/registers/index.js';
import { openProjectionDb } from '../../../src/projections/runner.js';
import { buildNameIndexStep, nameCandidates, nameIndexReady } from '../../../src/projections/registers/name-index.js';
import type { RecordedEvent } from '../../../src/store/port.js';
import { makeUscc, targetRecord } from '../../domain/registers/helpers.js';

/**
 * The name search index (issue 8 §4): the real targets projection on a real SQLite file, fed
 * recorded events directly. Every result is compared with the definition of a match — the
 * name contains the text, ASCII letters folded (SQLite LIKE) — computed here by brute force.
 */
const actor = { userId: 'test', role: 'system', department: 'system' } as const;
let position = 0;
const recorded = (type: string, payload: unknown): RecordedEvent => ({
  position: position++, streamId: 's', revision: 0, eventId: `e-${position}`, type, schemaVersion: 1,
  recordedAt: '2026-11-25T08:00:00.000Z', actor, correlationId: 'c', causationId: null, payload, hash: '',
});

const lowerAscii = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const contains = (name: string, text: string): boolean => lowerAscii(name).includes(lowerAscii(text));
const uscc = (i: number): string => makeUscc(`91370323MA${String(i).padStart(7, '0')}`);

let dir: string;
let db: Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'suiji-name-search-'));
  db = openProjectionDb(dir);
  targetsProjection.reset(db);
  targetsProjection.setup(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const register = (targets: readonly TargetRecord[]): void =>
  db.transaction(() => {
    for (const t of targets) targetsProjection.apply(db, recorded('TargetRegistered', t));
  })();

const allStatuses = { status: ['active', 'deregistered', 'revoked'] };
const found = (text: string, filter: object = allStatuses): { names: string[]; total: number; totalCapped: boolean } => {
  const page = queryTargets(db, filter, { limit: 1000 }, { name: text });
  return { names: page.items.map((t) => t.name).sort(), total: page.total, totalCapped: page.totalCapped };
};

// Parts chosen so that 2- and 3-character texts cross part boundaries, sit at the start and the
// very end of a name, repeat, and mix case, LIKE wildcards, quotes and FTS5 syntax.
const parts = ['百货', '沂源', '县', '利民', 'Acme', 'ACME', 'co', '%', '_', '"', 'AND', '*', '店', '有限公司', 'ä', 'Ä', ' '];
function names(count: number, seed: number): string[] {
  let s = seed;
  const rnd = (n: number): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
  return Array.from({ length: count }, () => Array.from({ length: 1 + rnd(4) }, () => parts[rnd(parts.length)]).join(''));
}

describe('name search through the trigram index (issue 8 §4)', () => {
  it('regression (a name search scanned the whole register): every text of 2–6 characters finds exactly the names containing it, as LIKE does', () => {
    const all = names(600, 7);
    register(all.map((name, i) => targetRecord({ uscc: uscc(i), name })));
    const texts = new Set<string>(['百货', '货店', '司县', 'ac', 'AC', 'Co', 'me', 'acme', 'MEC', '%_', '_"', '"A', 'AND', 'd*', 'ä县', 'Ä ', ' 百', '有限公', '公司百货', '"', '**']);
    for (const name of all.slice(0, 60)) {
      const cps = [...name];
      for (let len = 2; len <= 6 && len <= cps.length; len++) texts.add(cps.slice(0, len).join(''));
      if (cps.length >= 2) texts.add(cps.slice(-2).join('')); // the last two characters: no trigram starts there
    }
    for (const text of texts) {
      if ([...text].length < 2) continue;
      const expected = all.filter((n) => contains(n, text)).sort();
      const got = found(text);
      expect(got.names, text).toEqual(expected);
      expect(got.total, text).toBe(expected.length);
      expect(got.totalCapped, text).toBe(false);
    }
  });

  it('regression (FTS5 trigram cannot match two characters): a 2-character text finds a name that is exactly it and a name ending in it', () => {
    register([targetRecord({ uscc: uscc(1), name: '百货' }), targetRecord({ uscc: uscc(2), name: '利民百货' }), targetRecord({ uscc: uscc(3), name: '百 货' })]);
    expect(found('百货').names).toEqual(['利民百货', '百货']);
  });

  it('a renamed target is found under its new name only; a re-registration replaces its entry', () => {
    register([targetRecord({ uscc: uscc(1), name: '利民百货' })]);
    db.transaction(() => targetsProjection.apply(db, recorded('TargetUpdated', { uscc: uscc(1), changes: { name: '利民药房' } })))();
    expect(found('百货').names).toEqual([]);
    expect(found('药房').names).toEqual(['利民药房']);
    register([targetRecord({ uscc: uscc(1), name: '沂源五金' })]);
    expect(found('利民').names).toEqual([]);
    expect(found('五金').total).toBe(1);
  });

  it('a name search still combines with the pool filter (status, jurisdiction)', () => {
    register([
      targetRecord({ uscc: uscc(1), name: '利民百货', jurisdiction: 'dept-a' }),
      targetRecord({ uscc: uscc(2), name: '万家百货', jurisdiction: 'dept-b' }),
      targetRecord({ uscc: uscc(3), name: '大众百货', status: 'deregistered' }),
    ]);
    expect(found('百货', {}).names).toEqual(['万家百货', '利民百货']);
    expect(found('百货', { jurisdiction: ['dept-b'] }).names).toEqual(['万家百货']);
  });

  it(`a text in more than ${NAME_SEARCH_CAP} names: total is the cap with totalCapped, and the page is still the first matches in uscc order`, () => {
    const n = 2 * (NAME_SEARCH_CAP + 50);
    register(Array.from({ length: n }, (_, i) => targetRecord({ uscc: uscc(i), name: i % 2 === 0 ? `利民百货${i}` : `沂源五金${i}` })));
    const page = queryTargets(db, {}, { limit: 5 }, { name: '百货' });
    expect(page.totalCapped).toBe(true);
    expect(page.total).toBe(NAME_SEARCH_CAP);
    expect(page.items.map((t) => t.uscc)).toEqual([0, 2, 4, 6, 8].map(uscc));
    const next = queryTargets(db, {}, { limit: 5, after: page.nextCursor! }, { name: '百货' });
    expect(next.items.map((t) => t.uscc)).toEqual([10, 12, 14, 16, 18].map(uscc));
    // Below the cap the count is exact.
    const few = queryTargets(db, {}, { limit: 5 }, { name: '五金1' });
    expect(few.totalCapped).toBe(false);
    expect(few.total).toBe(Array.from({ length: n }, (_, i) => i).filter((i) => i % 2 === 1 && String(i).startsWith('1')).length);
  });

  it('a rebuild defers the index and builds it once at the end; the results are the same', () => {
    const all = names(300, 11);
    const targets = all.map((name, i) => targetRecord({ uscc: uscc(i), name }));
    targetsProjection.beforeRebuild!(db);
    register(targets);
    targetsProjection.afterRebuild!(db);
    for (const text of ['百货', 'acme', '有限公司', 'Ä县', '"A']) expect(found(text).names, text).toEqual(all.filter((n) => contains(n, text)).sort());
  });

  it('regression (a crash mid-rebuild would leave the index without the targets applied so far): setup at the next start builds it', () => {
    targetsProjection.beforeRebuild!(db);
    register([targetRecord({ uscc: uscc(1), name: '利民百货' })]);
    // The process dies here: afterRebuild never runs. The next start reopens the file.
    db.close();
    db = openProjectionDb(dir);
    targetsProjection.setup(db);
    expect(found('百货').names).toEqual(['利民百货']);
    register([targetRecord({ uscc: uscc(2), name: '万家百货' })]);
    expect(found('百货').names).toEqual(['万家百货', '利民百货']);
  });

  describe('when the index is built after a rebuild (issue 13)', () => {
    const texts = ['百货', 'acme', '有限公司', 'Ä县', '"A', 'co', '药房', '五金'];
    const expectFound = (all: ReadonlyMap<string, string>): void => {
      for (const text of texts) {
        const expected = [...all.values()].filter((n) => contains(n, text)).sort();
        const got = found(text);
        expect(got.names, text).toEqual(expected);
        expect(got.total, text).toBe(expected.length);
      }
    };

    it('a search while it is part-built returns what it returns once built, with live registrations and renames on both sides of the build', () => {
      const all = new Map(names(400, 23).map((name, i) => [uscc(2 * i), name]));
      targetsProjection.beforeRebuild!(db);
      register([...all].map(([u, name]) => targetRecord({ uscc: u, name })));
      targetsProjection.afterRebuild!(db);
      expect(nameIndexReady(db)).toBe(false);
      expect(nameCandidates(db, '百货', 100)).toBeNull();
      expectFound(all);
      // Part-built: the first 100 targets (uscc(0) … uscc(198)) are indexed.
      expect(buildNameIndexStep(db, 100)).toBe(true);
      expect(nameIndexReady(db)).toBe(false);
      expectFound(all);
      const live = [
        targetRecord({ uscc: uscc(1), name: '利民百货' }), // new, inside the built part
        targetRecord({ uscc: uscc(401), name: '沂源药房' }), // new, beyond it
      ];
      register(live);
      for (const t of live) all.set(t.uscc, t.name);
      db.transaction(() => {
        targetsProjection.apply(db, recorded('TargetUpdated', { uscc: uscc(2), changes: { name: '万家五金' } })); // renamed, built part
        targetsProjection.apply(db, recorded('TargetUpdated', { uscc: uscc(600), changes: { name: 'ACME药房' } })); // renamed, not yet built
      })();
      all.set(uscc(2), '万家五金');
      all.set(uscc(600), 'ACME药房');
      expectFound(all);
      while (buildNameIndexStep(db, 100));
      expect(nameIndexReady(db)).toBe(true);
      expect(nameCandidates(db, '百货', 1000)).not.toBeNull();
      expectFound(all);
    });

    it('a build interrupted by a restart goes on from where it stopped, leaving no target out', () => {
      const all = new Map(names(300, 5).map((name, i) => [uscc(i), name]));
      targetsProjection.beforeRebuild!(db);
      register([...all].map(([u, name]) => targetRecord({ uscc: u, name })));
      targetsProjection.afterRebuild!(db);
      buildNameIndexStep(db, 120);
      db.close();
      db = openProjectionDb(dir);
      targetsProjection.setup(db);
      expect(nameIndexReady(db)).toBe(false);
      expect(buildNameIndexStep(db, 120)).toBe(true);
      expect(buildNameIndexStep(db, 120)).toBe(false);
      expect(nameIndexReady(db)).toBe(true);
      const indexed = db.prepare('SELECT uscc FROM reg_target_names ORDER BY id').pluck().all();
      expect(indexed).toEqual([...all.keys()]);
      expectFound(all);
    });

    it('two connections building the same file take turns: each step goes on from where the file says, no name twice', () => {
      const all = new Map(names(250, 9).map((name, i) => [uscc(i), name]));
      targetsProjection.beforeRebuild!(db);
      register([...all].map(([u, name]) => targetRecord({ uscc: u, name })));
      targetsProjection.afterRebuild!(db);
      const other = openProjectionDb(dir);
      try {
        targetsProjection.setup(other);
        expect(buildNameIndexStep(db, 100)).toBe(true);
        expect(buildNameIndexStep(other, 100)).toBe(true); // this connection still thought the build was at the start
        expect(buildNameIndexStep(db, 100)).toBe(false);
        expect(nameIndexReady(other)).toBe(true);
      } finally {
        other.close();
      }
      expect(db.prepare('SELECT uscc FROM reg_target_names ORDER BY id').pluck().all()).toEqual([...all.keys()]);
      expectFound(all);
    });

    it('a register with no targets has its (empty) index ready at once', () => {
      targetsProjection.beforeRebuild!(db);
      targetsProjection.afterRebuild!(db);
      expect(nameIndexReady(db)).toBe(true);
      expect(buildNameIndexStep(db)).toBe(false);
    });
  });
});
