import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../../src/domain/registers/index.js';
import {
  currentItems,
  getTarget,
  inspectorPool,
  itemListDiff,
  itemListHistory,
  itemListVersion,
  listDepartments,
  listSpecialRegisters,
  listUsers,
  poolOf,
  queryExperts,
  queryInspectors,
  queryTargets,
} from '../../../src/projections/registers/index.js';
import { actors, makeUscc, targetRecord } from '../../domain/registers/helpers.js';
import { metaFor, openHarness, type Harness } from './harness.js';

let h: Harness;
const A = makeUscc('91370323MA3C00001');
const B = makeUscc('91370323MA3C00002');
const C = makeUscc('92370323MA3C00003');

const item = (itemId: string, over: Partial<Item> = {}): Item => ({
  itemId,
  name: `事项${itemId}`,
  targetType: '经营者',
  category: 'general',
  method: ['onSite'],
  inspectingBody: 'dept-a',
  legalBasis: '《商务部规章》',
  maxRatioBp: 500,
  ...over,
});

beforeAll(async () => {
  h = await openHarness();
  const admin = metaFor(actors.admin);
  await h.run({ type: 'RegisterDepartment', data: { departmentId: 'bureau', name: '沂源县商务局', kind: 'bureau', parentDepartment: null, regionCode: '370323', neighbouringRegions: [{ regionCode: '370304', name: '博山区' }] }, metadata: admin });
  await h.run({ type: 'RegisterDepartment', data: { departmentId: 'dept-a', name: '流通发展科', kind: 'office', parentDepartment: 'bureau', regionCode: '370323', neighbouringRegions: [] }, metadata: metaFor(actors.admin) });
  await h.run({ type: 'UpdateDepartment', data: { departmentId: 'dept-a', changes: { name: '流通业发展科' } }, metadata: metaFor(actors.admin) });
  await h.run({ type: 'RegisterUser', data: { userId: 'op-a', name: '张三', role: 'operator', department: 'dept-a' }, metadata: metaFor(actors.admin) });
  await h.run({ type: 'DeactivateUser', data: { userId: 'op-a', reason: '调离' }, metadata: metaFor(actors.admin) });

  for (const items of [[item('I1'), item('I2')], [item('I1', { maxRatioBp: 300 }), item('I3', { category: 'key', maxRatioBp: undefined })]]) {
    const clean = items.map(({ maxRatioBp, ...rest }) => (maxRatioBp === undefined ? rest : { ...rest, maxRatioBp }));
    await h.run({ type: 'PublishItemList', data: { departmentId: 'dept-a', items: clean, reason: '调整' }, metadata: metaFor(actors.opA) });
  }

  await h.run({ type: 'RegisterTarget', data: targetRecord({ uscc: A }), metadata: metaFor(actors.opA) });
  await h.run({ type: 'RegisterTarget', data: targetRecord({ uscc: B, industry: 'F5211', riskLevel: 'D', flags: { dishonest: true, abnormalOperation: false, keyIndustry: false, complaintCount: 3 } }), metadata: metaFor(actors.opA) });
  await h.run({ type: 'RegisterTarget', data: targetRecord({ uscc: C, jurisdiction: 'dept-b', entityType: 'individualBusiness', region: '鲁村镇' }), metadata: metaFor(actors.opB) });
  await h.run({ type: 'ChangeTargetStatus', data: { uscc: C, status: 'deregistered', reason: '已注销' }, metadata: metaFor(actors.opB) });
  const standard = { name: '成品油零售专项库', objectType: '成品油零售企业', indicators: { industry: ['F5265'] }, supervisionRequirements: '安全制度' };
  await h.run({ type: 'DefineSpecialRegister', data: { registerId: 'fuel', department: 'dept-a', standard }, metadata: metaFor(actors.opA) });
  await h.run({ type: 'AdmitTargetToSpecialRegister', data: { uscc: A, registerId: 'fuel', standard: { version: 1, indicators: standard.indicators } }, metadata: metaFor(actors.opA) });

  const insp = (id: string, validTo: string, expertise: string[]) => ({
    inspectorId: id, name: `检查员${id}`, department: 'dept-a', qualification: { number: `Q-${id}`, validFrom: '2024-01-01', validTo }, expertise, region: '南麻街道', status: 'active' as const,
  });
  await h.run({ type: 'RegisterInspector', data: insp('i1', '2026-12-31', ['成品油']), metadata: metaFor(actors.opA) });
  await h.run({ type: 'RegisterInspector', data: insp('i2', '2025-12-31', ['预付卡']), metadata: metaFor(actors.opA) });
  await h.run({ type: 'RegisterInspector', data: insp('i3', '2027-12-31', ['预付卡', '成品油']), metadata: metaFor(actors.opA) });
  await h.run({ type: 'DeclareInspectorConflict', data: { inspectorId: 'i3', uscc: A, reason: '亲属' }, metadata: metaFor(actors.opA) });
  await h.run({ type: 'RegisterExpert', data: { expertId: 'e1', name: '王工', department: 'dept-a', expertise: ['危化品'], organisation: '检验院', title: '高工', region: '淄博市', status: 'active' }, metadata: metaFor(actors.opA) });
  await h.runner.catchUp();
});

afterAll(async () => {
  await h.close();
});

describe('G3: organisation read model', () => {
  it('G3: departments with hierarchy, neighbours and updates', () => {
    const d = listDepartments(h.db);
    expect(d.map((x) => [x.departmentId, x.parentDepartment, x.name])).toEqual([['bureau', null, '沂源县商务局'], ['dept-a', 'bureau', '流通业发展科']]);
    expect(d[0]?.neighbouringRegions).toEqual([{ regionCode: '370304', name: '博山区' }]);
    expect(listUsers(h.db, 'dept-a')).toEqual([{ userId: 'op-a', name: '张三', role: 'operator', department: 'dept-a', active: false }]);
  });
});

describe('L1: item list versions', () => {
  it('L1: GET version n, the current version and the history', () => {
    expect(itemListVersion(h.db, 'dept-a', 1)?.items.map((i) => i.itemId)).toEqual(['I1', 'I2']);
    expect(itemListVersion(h.db, 'dept-a')?.version).toBe(2);
    expect(itemListHistory(h.db, 'dept-a').map((v) => [v.version, v.changes])).toEqual([
      [2, { added: ['I3'], changed: ['I1'], removed: ['I2'] }],
      [1, { added: ['I1', 'I2'], changed: [], removed: [] }],
    ]);
    expect(itemListVersion(h.db, 'dept-a', 3)).toBeUndefined();
  });

  it('L1: the diff between versions 1 and 2', () => {
    const d = itemListDiff(h.db, 'dept-a', 1, 2);
    expect(d?.added.map((i) => i.itemId)).toEqual(['I3']);
    expect(d?.removed.map((i) => i.itemId)).toEqual(['I2']);
    expect(d?.changed.map((c) => [c.itemId, c.fields])).toEqual([['I1', ['maxRatioBp']]]);
  });

  it('G2: current items carry their list version', () => {
    expect(currentItems(h.db).map((i) => [i.itemId, i.listVersion])).toEqual([['I1', 2], ['I3', 2]]);
  });
});

describe('L4/T3: target register and pools', () => {
  it('T3: the default pool holds active targets only, sorted by uscc', () => {
    expect(poolOf(h.db, {})).toEqual([A, B].sort());
    expect(poolOf(h.db, { status: ['active', 'deregistered'] })).toEqual([A, B, C].sort());
  });

  it('T3: filters combine with AND across fields and OR within a field', () => {
    expect(poolOf(h.db, { industry: ['F52'] })).toEqual([A, B].sort());
    expect(poolOf(h.db, { industry: ['F5265', 'F5211'], riskLevel: ['D'] })).toEqual([B]);
    expect(poolOf(h.db, { dishonest: true })).toEqual([B]);
    expect(poolOf(h.db, { dishonest: false })).toEqual([A]);
    expect(poolOf(h.db, { minComplaints: 3 })).toEqual([B]);
    expect(poolOf(h.db, { specialRegister: 'fuel' })).toEqual([A]);
    expect(poolOf(h.db, { jurisdiction: ['dept-b'], status: ['deregistered'] })).toEqual([C]);
  });

  it('T3: an empty list and an unknown key are refused, not read as "no constraint"', () => {
    expect(() => poolOf(h.db, { region: [] })).toThrowError(/VALIDATION_FAILED/);
    expect(() => poolOf(h.db, { riskLevel: ['E'] })).toThrowError(/VALIDATION_FAILED/);
    expect(() => poolOf(h.db, { sector: ['F'] })).toThrowError(/VALIDATION_FAILED/);
  });

  it('T3: paging by uscc with a cursor and a total', () => {
    const first = queryTargets(h.db, { status: ['active', 'deregistered'] }, { limit: 2 });
    expect(first.total).toBe(3);
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBe(first.items[1]?.uscc);
    const second = queryTargets(h.db, { status: ['active', 'deregistered'] }, { limit: 2, after: first.nextCursor! });
    expect(second.items.map((t) => t.uscc)).toEqual([[A, B, C].sort()[2]]);
    expect(second.nextCursor).toBeNull();
  });

  it('L4: a register entry reads back with its special registers and status', () => {
    expect(getTarget(h.db, A)).toEqual({ ...targetRecord({ uscc: A }), specialRegisters: ['fuel'] });
    expect(getTarget(h.db, C)?.status).toBe('deregistered');
    expect(listSpecialRegisters(h.db)).toMatchObject([{ registerId: 'fuel', version: 1, members: 1, standard: { indicators: { industry: ['F5265'] } } }]);
  });

  it('L4: the full history of an entry is its stream', async () => {
    const history = await h.store.readStream(`target-${C}`);
    expect(history.map((e) => [e.type, e.actor.userId])).toEqual([['TargetRegistered', 'op-b'], ['TargetStatusChanged', 'op-b']]);
  });
});

describe('L3/T9/T10: inspector and expert pools', () => {
  it('T9: only inspectors qualified on the date are in the pool', () => {
    expect(inspectorPool(h.db, { qualifiedOn: '2026-06-01' })).toEqual(['i1', 'i3']);
    expect(inspectorPool(h.db, { qualifiedOn: '2025-06-01' })).toEqual(['i1', 'i2', 'i3']);
  });

  it('T10: an inspector with a declared conflict is left out for that target', () => {
    expect(inspectorPool(h.db, { qualifiedOn: '2026-06-01', notConflictedWith: [A] })).toEqual(['i1']);
    expect(queryInspectors(h.db, { expertise: ['预付卡'] }).map((i) => [i.inspectorId, i.conflicts])).toEqual([['i2', []], ['i3', [A]]]);
  });

  it('L5: experts are queryable by expertise', () => {
    expect(queryExperts(h.db, { expertise: ['危化品'] }).map((e) => e['expertId'])).toEqual(['e1']);
    expect(queryExperts(h.db, { expertise: ['成品油'] })).toEqual([]);
  });

  it('L3: inspector filters refuse unknown keys', () => {
    expect(() => inspectorPool(h.db, { qualified: '2026-01-01' })).toThrowError(/VALIDATION_FAILED/);
  });
});

describe('projection rebuild', () => {
  it('rebuilding from the ledger gives the same read model', async () => {
    const before = poolOf(h.db, { status: ['active', 'deregistered'] });
    const items = itemListVersion(h.db, 'dept-a', 2);
    await h.runner.rebuild();
    expect(poolOf(h.db, { status: ['active', 'deregistered'] })).toEqual(before);
    expect(itemListVersion(h.db, 'dept-a', 2)).toEqual(items);
  });
});
