import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { inspectorBody, type Harness } from '../registers/harness.js';
import { drawBody, drawToCompletion, seedWorld, taskBody } from '../tasks/fixtures.js';
import { jpeg, sha256 } from '../../evidence/fixtures.js';

/**
 * Inspectors of dept-a with user accounts whose userId is their inspector id (docs/inspections.md):
 * I01 leads, I02 and I03 are members; I09 is a qualified inspector of the unit outside the group.
 */
export const inspectorIds = ['I01', 'I02', 'I03', 'I09'] as const;
export type InspectorId = (typeof inspectorIds)[number];
const wholePool = [{ name: '南麻', filter: { region: ['南麻街道'], jurisdiction: ['dept-a'] }, quota: { count: 4 } }];

export interface RecordWorld {
  /** Authorization header values per inspector. */
  readonly as: Record<InspectorId, string>;
  /** dept-a's four visits; every one but the last is matched to the group I01 (leader), I02, I03. */
  readonly visits: string[];
  readonly unmatched: string;
}

export async function seedRecordWorld(h: Harness): Promise<RecordWorld> {
  await seedWorld(h);
  const as = {} as Record<InspectorId, string>;
  for (const id of inspectorIds) {
    await h.seed({ type: 'RegisterInspector', data: inspectorBody(id, 'dept-a') });
    await h.seed({ type: 'RegisterUser', data: { userId: id, name: `检查员 ${id}`, role: 'inspector', department: 'dept-a' } });
    as[id] = await h.issue({ userId: id, role: 'inspector', department: 'dept-a' });
  }
  await publishRecordForm(h);
  const c = await h.call('opA', 'POST', '/tasks', taskBody({ classes: wholePool, executingUnits: ['dept-a'] }));
  if (c.statusCode !== 201) throw new Error(c.body);
  const taskId = (c.json() as { taskId: string }).taskId;
  const drawId = await drawToCompletion(h, h.bearer('opA'), drawBody(taskId, wholePool));
  expect((await h.call('principalA', 'POST', `/tasks/${taskId}/lock`, { drawId })).statusCode).toBe(201);
  expect((await h.call('principalA', 'POST', `/tasks/${taskId}/dispatch`)).statusCode).toBe(201);
  const visits = ((await h.call('opA', 'GET', '/visits?unit=dept-a')).json() as { items: { visitId: string }[] }).items.map((v) => v.visitId);
  const matched = visits.slice(0, -1);
  for (const v of matched) {
    const r = await h.call('principalA', 'POST', `/visits/${v}/assignment`, { leader: 'I01', members: ['I01', 'I02', 'I03'], reason: '本科室检查人员不足以摇号 / too few inspectors to draw' });
    expect(r.statusCode, r.body).toBe(201);
  }
  return { as, visits: matched, unmatched: visits[visits.length - 1]! };
}

/**
 * SW-02's check form (E2), which the on-site findings answer: q1 conformity, q2 a number, q3 text
 * with a required photo. The visits take it automatically (their item's current version).
 */
export const recordForm = {
  questions: [
    { questionId: 'q1', text: '计量器具是否经检定合格', legalBasis: '《计量法》第九条', answer: 'conformity', photoRequired: false },
    { questionId: 'q2', text: '加油机数量', legalBasis: '《成品油市场管理办法》第十条', answer: 'number', unit: '台', photoRequired: false },
    { questionId: 'q3', text: '营业执照悬挂情况', legalBasis: '《市场主体登记管理条例》第三十六条', answer: 'text', photoRequired: true },
  ],
  methods: [{ kind: 'onSite' }],
  reason: '首版',
};

export async function publishRecordForm(h: Harness): Promise<void> {
  const r = await h.call('opA', 'POST', '/forms/SW-02/versions', recordForm);
  expect(r.statusCode, r.body).toBe(201);
}

/** Uploads a photo for the visit as `auth`; returns its SHA-256 (an EvidenceStored event now names it). */
export async function storedPhoto(h: Harness, auth: string, visitId: string, body: string): Promise<string> {
  const bytes = jpeg(body);
  const r = await h.app.inject({ method: 'POST', url: `/evidence?visitId=${visitId}`, headers: { authorization: auth, 'content-type': 'application/octet-stream' }, payload: bytes });
  expect(r.statusCode, r.body).toBe(201);
  return sha256(bytes);
}

export const preCheck = { consulted: ['企业信用信息公示系统', '上年度抽查结果'], found: '年报已公示，无异常名录记录', method: 'onSite' } as const;
export const onSite = (evidence: string[], over: Record<string, unknown> = {}) => ({
  present: ['I01', 'I02'],
  credentialsShown: true,
  noticeNumber: '沂市监告〔2026〕015号',
  findings: [{ itemId: 'SW-02', questionId: 'SW-02/q1', answer: 'doesNotConform', note: '加油机计量检定证书过期' }, { itemId: 'SW-02', questionId: 'SW-02/q2', answer: 3 }],
  measures: ['onSiteRecord', 'evidenceTaken', 'orderToRectify'],
  rectification: { status: 'ordered', dueDate: '2026-04-15' },
  evidence,
  ...over,
});
export const signed = { signed: { name: '王五', role: '站长' } };

export const url = (visitId: string, step: 'pre-check' | 'on-site' | 'target-signature' | 'signatures' | 'closure' | '' = ''): string =>
  `/visits/${visitId}/inspection${step ? `/${step}` : ''}`;

export async function post(h: Harness, auth: string, visitId: string, step: Parameters<typeof url>[1], body?: unknown): Promise<LightMyRequestResponse> {
  await h.rt.projections.catchUp();
  return h.app.inject({ method: 'POST', url: url(visitId, step), headers: { authorization: auth }, ...(body === undefined ? {} : { payload: body as object }) });
}

/** Asserts a refusal with `status` that wrote nothing; returns the response. */
export async function refused(h: Harness, send: () => Promise<LightMyRequestResponse>, status: number): Promise<LightMyRequestResponse> {
  const before = await h.head();
  const r = await send();
  expect(r.statusCode, r.body).toBe(status);
  const body = r.json() as { error: string; messageZh: string; messageEn: string };
  expect(body.error).toBeTypeOf('string');
  expect(body.messageZh).toMatch(/[\u4e00-\u9fff]/);
  expect(body.messageEn).toMatch(/[a-z]/);
  expect(await h.head()).toEqual(before);
  return r;
}
