import { describe, expect, it } from 'vitest';
import {
  expertDecider,
  inspectorDecider,
  matchesInspectorFilter,
  specialRegisterDecider,
  type InspectorEvent,
  type InspectorRecord,
} from '../../../src/domain/registers/index.js';
import { actors, decideOn, expectError, expectEvents, meta, USCC1 } from './helpers.js';

const inspector: InspectorRecord = {
  inspectorId: 'insp-1',
  name: '李四',
  department: 'dept-a',
  qualification: { number: '鲁执370323001', validFrom: '2024-01-01', validTo: '2027-12-31' },
  expertise: ['成品油', '预付卡'],
  region: '南麻街道',
  status: 'active',
};
const registered: InspectorEvent = { type: 'InspectorRegistered', payload: inspector };

describe('L3: inspector register', () => {
  it('L3: the department registers its inspector; another department cannot', () => {
    expect(expectEvents(decideOn(inspectorDecider, [], { type: 'RegisterInspector', data: inspector, metadata: meta(actors.opA) }))).toEqual([registered]);
    expectError(decideOn(inspectorDecider, [], { type: 'RegisterInspector', data: inspector, metadata: meta(actors.opB) }), 'FORBIDDEN', 'L4');
  });

  it('L3: a qualification ending before it starts is refused', () => {
    const bad = { ...inspector, qualification: { ...inspector.qualification, validTo: '2023-12-31' } };
    const e = expectError(decideOn(inspectorDecider, [], { type: 'RegisterInspector', data: bad, metadata: meta(actors.opA) }), 'VALIDATION_FAILED', 'L3');
    expect(e.details.field).toBe('/qualification/validTo');
  });

  it('L3: a renewed qualification is an event; the same data again is none', () => {
    const q = { number: inspector.qualification.number, validFrom: '2028-01-01', validTo: '2030-12-31' };
    const out = expectEvents(decideOn(inspectorDecider, [registered], { type: 'UpdateInspector', data: { inspectorId: 'insp-1', changes: { qualification: q }, reason: '换证' }, metadata: meta(actors.opA) }));
    expect(out).toEqual([{ type: 'InspectorUpdated', payload: { inspectorId: 'insp-1', changes: { qualification: q }, reason: '换证' } }]);
    expect(decideOn(inspectorDecider, [registered], { type: 'SyncInspector', data: inspector, metadata: meta(actors.opA) })).toEqual([]);
  });

  it('T10: a declared conflict is recorded once and excludes the inspector from pools for that target', () => {
    const declared = expectEvents(decideOn(inspectorDecider, [registered], { type: 'DeclareInspectorConflict', data: { inspectorId: 'insp-1', uscc: USCC1, reason: '亲属关系' }, metadata: meta(actors.opA) }));
    expect(declared).toHaveLength(1);
    const history = [registered, ...declared];
    expect(decideOn(inspectorDecider, history, { type: 'DeclareInspectorConflict', data: { inspectorId: 'insp-1', uscc: USCC1, reason: '亲属关系' }, metadata: meta(actors.opA) })).toEqual([]);
    const state = history.reduce(inspectorDecider.evolve, inspectorDecider.initialState);
    expect(state.exists && state.conflicts).toEqual([USCC1]);
    expect(matchesInspectorFilter(inspector, [USCC1], { notConflictedWith: [USCC1] })).toBe(false);
    expect(matchesInspectorFilter(inspector, [], { notConflictedWith: [USCC1] })).toBe(true);
  });

  it('T9: qualifiedOn includes both ends of the validity and nothing outside it', () => {
    expect(matchesInspectorFilter(inspector, [], { qualifiedOn: '2024-01-01' })).toBe(true);
    expect(matchesInspectorFilter(inspector, [], { qualifiedOn: '2027-12-31' })).toBe(true);
    expect(matchesInspectorFilter(inspector, [], { qualifiedOn: '2028-01-01' })).toBe(false);
    expect(matchesInspectorFilter({ ...inspector, status: 'suspended' }, [], { qualifiedOn: '2025-01-01' })).toBe(false);
  });

  it('L3: an inspector cannot edit the register', () => {
    expectError(decideOn(inspectorDecider, [registered], { type: 'ChangeInspectorStatus', data: { inspectorId: 'insp-1', status: 'left', reason: 'x' }, metadata: meta(actors.inspectorA) }), 'FORBIDDEN', 'L4');
  });
});

describe('L5: expert register', () => {
  const expert = { expertId: 'exp-1', name: '王工', department: 'dept-a', expertise: ['危险化学品'], organisation: '淄博市特种设备检验研究院', title: '高级工程师', region: '淄博市', status: 'active' as const };
  it('L5: an expert is registered and maintained by its department', () => {
    const reg = expectEvents(decideOn(expertDecider, [], { type: 'RegisterExpert', data: expert, metadata: meta(actors.opA) }));
    expect(reg[0]?.type).toBe('ExpertRegistered');
    expectError(decideOn(expertDecider, reg, { type: 'ChangeExpertStatus', data: { expertId: 'exp-1', status: 'suspended', reason: 'x' }, metadata: meta(actors.opB) }), 'FORBIDDEN', 'L4');
    const off = expectEvents(decideOn(expertDecider, reg, { type: 'ChangeExpertStatus', data: { expertId: 'exp-1', status: 'suspended', reason: '借调' }, metadata: meta(actors.opA) }));
    expect(off[0]?.payload).toMatchObject({ from: 'active', status: 'suspended' });
  });
});

describe('L4: special register standards', () => {
  const standard = { name: '成品油零售企业专项库', objectType: '成品油零售经营企业', indicators: { industry: ['F5265'] }, supervisionRequirements: '每年至少抽查一次安全管理制度落实情况' };
  it('L4: the owning department defines a register; a revision bumps the version; the same standard again is none', () => {
    const def = expectEvents(decideOn(specialRegisterDecider, [], { type: 'DefineSpecialRegister', data: { registerId: 'fuel', department: 'dept-a', standard }, metadata: meta(actors.opA) }));
    expect(def[0]?.payload).toMatchObject({ version: 1 });
    const rev = expectEvents(
      decideOn(specialRegisterDecider, def, { type: 'ReviseRegisterStandard', data: { registerId: 'fuel', standard: { ...standard, indicators: { industry: ['F526'] } }, reason: '扩展' }, metadata: meta(actors.opA) }),
    );
    expect(rev[0]?.payload).toMatchObject({ version: 2 });
    expect(decideOn(specialRegisterDecider, def, { type: 'ReviseRegisterStandard', data: { registerId: 'fuel', standard, reason: 'x' }, metadata: meta(actors.opA) })).toEqual([]);
    expectError(decideOn(specialRegisterDecider, def, { type: 'ReviseRegisterStandard', data: { registerId: 'fuel', standard, reason: 'x' }, metadata: meta(actors.opB) }), 'FORBIDDEN', 'L4');
  });
});
