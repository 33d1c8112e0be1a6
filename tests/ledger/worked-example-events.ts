/**
 * The three events of docs/ledger-format.md §7, written through the real store with a fixed
 * clock: one PlanFiled append, then one appendMulti (DrawCommitted + DrawCounted, the PL5
 * pattern of docs/store-port.md §4).
 */
import type { StreamWrite } from '../../src/store/port.js';

export const exampleRecordedAt = '2026-11-25T08:00:00.000Z';

const principal = { userId: 'u-0042', role: 'principal', department: 'fj-fz-scjg-1' } as const;
const operator = { userId: 'u-0007', role: 'operator', department: 'fj-fz-scjg-1' } as const;

export const exampleAppends: readonly (readonly StreamWrite[])[] = [
  [
    {
      streamId: 'plan-2026-fj-fz-scjg-1',
      expected: 'noStream',
      events: [
        {
          eventId: '0193a5b0-7c1e-7d2a-9f00-000000000001',
          type: 'PlanFiled',
          actor: principal,
          correlationId: 'req-20261125-0001',
          payload: { year: 2026, title: '2026年度双随机抽查计划', items: [{ itemId: 'SC-01', ratio: 0.05 }] },
        },
      ],
    },
  ],
  [
    {
      streamId: 'draw-2026-0001',
      expected: 'noStream',
      events: [
        {
          eventId: '0193a5b0-7c1e-7d2a-9f00-000000000002',
          type: 'DrawCommitted',
          actor: operator,
          correlationId: 'req-20261125-0002',
          causationId: '0193a5b0-7c1e-7d2a-9f00-000000000001',
          payload: { poolSize: 1200, poolHash: 'c0ffee'.padEnd(64, '0'), algorithm: 'suiji-draw/1' },
        },
      ],
    },
    {
      streamId: 'drawcount-91350100M000100Y43-2026',
      expected: 'noStream',
      events: [
        {
          eventId: '0193a5b0-7c1e-7d2a-9f00-000000000003',
          type: 'DrawCounted',
          actor: operator,
          correlationId: 'req-20261125-0002',
          causationId: '0193a5b0-7c1e-7d2a-9f00-000000000002',
          payload: { uscc: '91350100M000100Y43', year: 2026, count: 1 },
        },
      ],
    },
  ],
];
