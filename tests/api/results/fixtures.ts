import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { post, preCheck, signed, storedPhoto } from '../inspections/fixtures.js';
import { drawBody, drawToCompletion, seedWorld, taskBody, type World } from '../tasks/fixtures.js';
import { inspectorBody, openHarness, type Harness } from '../registers/harness.js';

/** The draw and results clocks: the draw inside the task's window, the results' "today" set per test. */
export const clocks = { draw: '2026-09-02T02:00:00.000Z', today: '2026-09-21T02:00:00.000Z' };
export const setToday = (day: string): void => {
  clocks.today = `${day}T02:00:00.000Z`;
};

export const principalB = { userId: 'pr-b', role: 'principal', department: 'dept-b' } as const;
/** The group's second member (E4: two present inspectors sign); user id = register id. */
export const memberA2 = { userId: 'in-a2', role: 'inspector', department: 'dept-a' } as const;

export interface ResultsWorld extends World {
  readonly h: Harness;
  /** dept-a's visits of a task whose window ends 2026-09-18 (deadline 2026-10-22 across 中秋 and 国庆). */
  readonly visits: string[];
  readonly prB: string;
  /** The group leader's token (inspector in-a, dept-a). */
  readonly leader: string;
}

export async function openResultsWorld(): Promise<ResultsWorld> {
  const h = await openHarness({ publicRateLimit: false, draws: { clock: () => new Date(clocks.draw) }, results: { clock: () => new Date(clocks.today) } });
  const w = await seedWorld(h);
  for (const id of ['in-a', 'in-a2']) await h.seed({ type: 'RegisterInspector', data: inspectorBody(id, 'dept-a') });
  await h.seed({ type: 'RegisterUser', data: { userId: 'in-a2', name: '检查员 in-a2', role: 'inspector', department: 'dept-a' } });
  const pool = [{ name: '南麻', filter: { region: ['南麻街道'], jurisdiction: ['dept-a'] }, quota: { count: 4 } }];
  const c = await h.call('opA', 'POST', '/tasks', taskBody({ classes: pool, executingUnits: ['dept-a'], window: { from: '2026-09-01', to: '2026-09-18' } }));
  if (c.statusCode !== 201) throw new Error(c.body);
  const taskId = (c.json() as { taskId: string }).taskId;
  const drawId = await drawToCompletion(h, h.bearer('opA'), drawBody(taskId, pool));
  expect((await h.call('principalA', 'POST', `/tasks/${taskId}/lock`, { drawId })).statusCode).toBe(201);
  expect((await h.call('principalA', 'POST', `/tasks/${taskId}/dispatch`)).statusCode).toBe(201);
  const visits = ((await h.call('opA', 'GET', '/visits?unit=dept-a')).json() as { items: { visitId: string }[] }).items.map((v) => v.visitId);
  // E1: the group, led by in-a (the inspector user of the harness: user id = register id).
  for (const v of visits) {
    const r = await h.call('principalA', 'POST', `/visits/${v}/assignment`, { leader: 'in-a', members: ['in-a', 'in-a2'], reason: '测试直接指派 / direct assignment for the test' });
    if (r.statusCode !== 201) throw new Error(r.body);
  }
  return { ...w, h, visits, prB: await h.issue(principalB), leader: h.bearer('inspectorA') };
}

/** Who acts for a visit's record: the leader and one other present member, each with their own token. */
export interface RecordGroup {
  readonly leader: { readonly id: string; readonly auth: string };
  readonly member: { readonly id: string; readonly auth: string };
}

/**
 * The visit's on-site record through the real inspection routes (E1, E4, A3): pre-check by the
 * member, a photo and the on-site record by the leader (both present), the target's signature,
 * both inspectors' own signatures, and the leader closes — so results are submitted after a real
 * `InspectionRecordClosed`. The group is in-a (leader) and in-a2 unless `group` names another
 * (a visit transferred to another unit, E8). Returns the photo's SHA-256.
 */
export async function closeRecord(h: Harness, visitId: string, group?: RecordGroup): Promise<string> {
  const { leader: l, member: m } = group ?? { leader: { id: 'in-a', auth: h.bearer('inspectorA') }, member: { id: 'in-a2', auth: await h.issue(memberA2) } };
  const [leader, member] = [l.auth, m.auth];
  const photo = await storedPhoto(h, leader, visitId, `现场照片 ${visitId}`);
  const body = {
    present: [l.id, m.id], credentialsShown: true, noticeNumber: '沂市监告〔2026〕101号',
    findings: [{ itemId: 'SW-02', answer: 'conforms', note: '未发现问题', evidence: [photo] }],
    measures: ['onSiteRecord', 'evidenceTaken'], rectification: { status: 'notNeeded' }, evidence: [photo],
  };
  for (const [auth, step, payload] of [
    [member, 'pre-check', preCheck], [leader, 'on-site', body], [leader, 'target-signature', signed],
    [leader, 'signatures', undefined], [member, 'signatures', undefined], [leader, 'closure', undefined],
  ] as const) {
    const r = await post(h, auth, visitId, step, payload);
    if (r.statusCode !== 201) throw new Error(`${step}: ${r.body}`);
  }
  return photo;
}

/** A refusal: the expected status, and the ledger exactly as it was. */
export async function unchanged(h: Harness, p: Promise<LightMyRequestResponse>, code: number): Promise<LightMyRequestResponse> {
  const before = await h.head();
  const r = await p;
  expect(r.statusCode, r.body).toBe(code);
  expect(await h.head()).toEqual(before);
  return r;
}

export const okResults = [{ itemId: 'SW-02', category: 'noProblem' }];
