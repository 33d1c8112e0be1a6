/** Issue 7 §4 over HTTP: a running server whose last event row was deleted by hand appends nothing. */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { departmentBody, openHarness, type Harness } from './registers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('issue 7 §4: no append past a gap, through the API', () => {
  it('regression (the running server appended past a hand-deleted last row): the write answers LEDGER_CORRUPT naming the mismatch, nothing is written', async () => {
    h = await openHarness();
    const before = await h.head();
    const db = new Database(join(h.rt.dataDir, 'suiji.db'));
    try {
      db.prepare('DELETE FROM events WHERE position = ?').run(before.size - 1);
    } finally {
      db.close();
    }
    const res = await h.call('admin', 'POST', '/departments', { ...departmentBody('dept-gap'), parentDepartment: 'dept-a' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ error: 'LEDGER_CORRUPT', details: { reason: 'head-rows-mismatch', headSize: before.size, lastPosition: before.size - 2 } });
    expect(res.json().messageZh).toContain('拒绝追加');
    expect(await h.head()).toEqual(before);
    const rows = await h.rt.store.readAll({ from: before.size - 2 });
    expect(rows.map((e) => e.position)).toEqual([before.size - 2]);
  });
});
