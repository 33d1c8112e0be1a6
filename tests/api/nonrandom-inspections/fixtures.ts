import { freshUscc, targetBody, type Harness } from '../registers/harness.js';

/** Two registered targets of dept-a, for records to name. */
export async function seedTwoTargets(h: Harness): Promise<[string, string]> {
  const a = freshUscc();
  const b = freshUscc();
  for (const t of [a, b]) await h.seed({ type: 'RegisterTarget', data: targetBody(t, 'dept-a') });
  return [a, b];
}

export const complaintBody = (inspectionId: string, targets: string[], over: Record<string, unknown> = {}) => ({
  inspectionId,
  kind: 'complaintOrReport',
  department: 'dept-a',
  sourceDocument: { number: `12315-${inspectionId}`, issuingBody: '全国12315平台', date: '2026-03-01' },
  targets,
  items: ['加油机计量准确性'],
  reason: '消费者投诉加油量不足',
  ...over,
});

export const URL = '/non-random-inspections';
