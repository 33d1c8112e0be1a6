import type { Actor } from '../../../src/domain/actor.js';
import type { PlanItem } from '../../../src/domain/plans/index.js';
import { item, type Harness } from '../registers/harness.js';

export const r = (numerator: number, denominator: number) => ({ numerator, denominator });

/** A well-formed planned item: stratified (PL4), under a 5 % cap (L2), weights summing to 10000 (PL3). */
export const planItem = (itemId: string, over: Partial<PlanItem> = {}): PlanItem => ({
  itemId,
  scope: { region: ['南麻街道', '历山街道'] },
  window: { from: '2026-03-01', to: '2026-11-30' },
  estimatedCount: 40,
  ratio: r(3, 100),
  riskRatios: { A: r(1, 100), B: r(2, 100), C: r(3, 100), D: r(5, 100) },
  creditRatios: { A: r(1, 100), B: r(2, 100), C: r(3, 100), D: r(4, 100), dishonest: r(5, 100) },
  unifiedShare: r(1, 5),
  regionalWeights: [
    { region: '南麻街道', weightBp: 6000 },
    { region: '历山街道', weightBp: 4000 },
  ],
  ...over,
});

export const bureauPrincipal = { userId: 'pr-bureau', role: 'principal', department: 'bureau' } as const satisfies Actor;
export const principalB = { userId: 'pr-b', role: 'principal', department: 'dept-b' } as const satisfies Actor;

/**
 * The bureau's unified list (八): SW-01 and SW-02 inspected by dept-a (one general with a 5 %
 * cap, one key), SW-03 by dept-b. Returns the Authorization headers of the two principals.
 */
export async function seedUnifiedList(h: Harness): Promise<{ bureau: string; principalB: string }> {
  await h.seed({
    type: 'PublishItemList',
    data: {
      departmentId: 'bureau',
      items: [item('SW-01'), item('SW-02', { category: 'key', maxRatioBp: undefined }), item('SW-03', { inspectingBody: 'dept-b' })],
      reason: '统一清单',
    },
  });
  for (const a of [bureauPrincipal, principalB]) await h.seed({ type: 'RegisterUser', data: { userId: a.userId, name: a.userId, role: a.role, department: a.department } });
  return { bureau: await h.issue(bureauPrincipal), principalB: await h.issue(principalB) };
}

export const planUrl = (dept: string, year = 2026) => `/departments/${dept}/plans/${year}`;
