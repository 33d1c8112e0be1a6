import { drawBody, drawToCompletion, seedWorld, taskBody, type World } from '../tasks/fixtures.js';
import type { Harness } from '../registers/harness.js';

const wholePool = [{ name: '南麻', filter: { region: ['南麻街道'], jurisdiction: ['dept-a'] }, quota: { count: 4 } }];

/** A well-formed template body: two questions, on-site and a sampling test naming what it needs. */
export const formBody = (over: Record<string, unknown> = {}) => ({
  questions: [
    { questionId: 'q1', text: '是否公示营业执照', legalBasis: '《市场主体登记管理条例》第三十六条', answer: 'conformity', photoRequired: true },
    { questionId: 'q2', text: '储油罐容量', legalBasis: '《成品油市场管理办法》第十条', answer: 'number', unit: '立方米', photoRequired: false },
  ],
  methods: [{ kind: 'onSite' }, { kind: 'samplingTest', needs: '汽油样品 2 升，按 GB 17930 检验', testingBody: '县质检所' }],
  reason: '首版',
  ...over,
});

/**
 * The task world (tests/api/tasks/fixtures.ts) with one dispatched task of dept-a over both its
 * items, SW-01 and SW-02: each of dept-a's four 南麻 targets gets one visit of two items.
 */
export async function seedVisitOfTwoItems(h: Harness): Promise<{ world: World; visitId: string }> {
  const world = await seedWorld(h);
  const c = await h.call('opA', 'POST', '/tasks', taskBody({ items: ['SW-01', 'SW-02'], classes: wholePool }));
  if (c.statusCode !== 201) throw new Error(c.body);
  const taskId = (c.json() as { taskId: string }).taskId;
  const drawId = await drawToCompletion(h, h.bearer('opA'), drawBody(taskId, wholePool));
  for (const [path, body] of [[`/tasks/${taskId}/lock`, { drawId }], [`/tasks/${taskId}/dispatch`, undefined]] as const) {
    const r = await h.call('principalA', 'POST', path, body);
    if (r.statusCode !== 201) throw new Error(r.body);
  }
  const visits = (await h.call('opA', 'GET', '/visits?unit=dept-a')).json() as { items: { visitId: string; items: string[] }[] };
  const visit = visits.items.find((v) => v.items.length === 2);
  if (!visit) throw new Error(`no visit of two items: ${JSON.stringify(visits)}`);
  return { world, visitId: visit.visitId };
}
