import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { noticesProjection } from '../../../src/projections/plans/index.js';
import { noticeById } from '../../../src/api/site/notices-read.js';

const uscc = (n: number): string => `91370323MA${String(n).padStart(8, '0')}`;

describe('noticeById: a long drawn list is cut in SQLite, not parsed whole', () => {
  const db = new Database(':memory:');
  noticesProjection.setup(db);
  const body = (targets: unknown) => JSON.stringify({ taskId: 'T1', departmentId: 'd', departmentName: '部门', name: '任务', adHoc: true, items: [{ itemId: 'I', name: '事项' }], window: { from: '2026-01-01', to: '2026-12-31' }, delegate: null, drawIds: ['T1.targets.1'], units: [{ executingUnit: 'd', count: 2500 }], targets });
  const insert = db.prepare("INSERT INTO notices VALUES (?, 'taskNotice', '公告', 'd', 's', 0, 'TaskDispatched', 1, ?, '2026-01-01T00:00:00Z', ?)");
  insert.run('taskNotice-T1', body(Array.from({ length: 2500 }, (_, i) => ({ uscc: uscc(i), executingUnit: 'd' }))), 2);
  insert.run('taskNotice-T2', body(null), 3);

  it('P2: a published list of 2,500 gives its first 2,000 entries in order and the total', () => {
    const n = noticeById(db, 'taskNotice-T1', 2000);
    const targets = (n?.body as { targets: { uscc: string }[] }).targets;
    expect(n?.targetsTotal).toBe(2500);
    expect(targets).toHaveLength(2000);
    expect(targets[0]).toEqual({ uscc: uscc(0), executingUnit: 'd' });
    expect(targets[1999]?.uscc).toBe(uscc(1999));
  });

  it('P2: a list that is not published stays null (not an empty list)', () => {
    const n = noticeById(db, 'taskNotice-T2', 2000);
    expect(n?.targetsTotal).toBeNull();
    expect((n?.body as { targets: unknown }).targets).toBeNull();
  });
});
