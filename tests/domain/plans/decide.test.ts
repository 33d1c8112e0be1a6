import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/actor.js';
import { SuijiError } from '../../../src/domain/errors.js';
import { compareRatios, evolvePlan, initialPlanState, planDecider, type PlanCommand, type PlanContext, type PlanEvent, type PlanState } from '../../../src/domain/plans/index.js';
import { planItem, r } from '../../api/plans/fixtures.js';

const opA: Actor = { userId: 'op-a', role: 'operator', department: 'dept-a' };
const prA: Actor = { userId: 'pr-a', role: 'principal', department: 'dept-a' };
const prBureau: Actor = { userId: 'pr-bureau', role: 'principal', department: 'bureau' };
const meta = (actor: Actor) => ({ actor, now: '2026-01-10T02:00:00.000Z', commandId: 'c' });
const context: PlanContext = {
  parentDepartment: 'bureau',
  items: [
    { itemId: 'SW-01', name: '单用途预付卡检查', category: 'general', maxRatio: r(500, 10000) },
    { itemId: 'SW-02', name: '报废机动车回收检查', category: 'key', maxRatio: null },
  ],
  listBasis: [{ departmentId: 'bureau', version: 3 }],
};

const given = (events: PlanEvent[]): PlanState => events.reduce(evolvePlan, initialPlanState);
const when = (state: PlanState, command: PlanCommand) => planDecider.decide(command, state);
const save = (actor: Actor, items = [planItem('SW-01'), planItem('SW-02')]): PlanCommand => ({
  type: 'SavePlanDraft',
  data: { draft: { departmentId: 'dept-a', year: 2026, items, reason: '年度计划' }, context },
  metadata: meta(actor),
});
const drafted = (version: number): PlanEvent => ({ type: 'PlanDraftSaved', payload: { departmentId: 'dept-a', year: 2026, version, items: [planItem('SW-01'), planItem('SW-02')], reason: '年度计划' } });
const filed = (version: number, filedWith: string | null = 'bureau'): PlanEvent => ({
  type: 'PlanVersionFiled',
  payload: { departmentId: 'dept-a', year: 2026, version, filedWith, listBasis: [], coveredItems: ['SW-01', 'SW-02'], changes: { added: [], changed: [], removed: [] } },
});
const key = { departmentId: 'dept-a', year: 2026, version: 1 };

describe('the plan decider (PL1–PL4), given / when / then', () => {
  it('PL1: given nothing, when an operator saves a draft, then version 1 is drafted; saving the same draft again decides nothing', () => {
    const events = when(given([]), save(opA));
    expect(events).toEqual([drafted(1)]);
    expect(when(given([drafted(1)]), save(opA))).toEqual([]);
  });

  it('PL1: given a filed version awaiting the parent, no adjustment may be drafted; once acknowledged the next draft is version 2', () => {
    expect(when(given([drafted(1), filed(1)]), save(opA))).toMatchObject({ code: 'RULE_VIOLATION', details: { rule: 'PL1' } });
    const ack: PlanEvent = { type: 'PlanVersionAcknowledged', payload: key };
    expect(when(given([drafted(1), filed(1), ack]), save(opA))).toMatchObject([{ payload: { version: 2 } }]);
  });

  it('PL1: a root filing (filedWith null) is final: the next version may be drafted at once and nobody acknowledges it', () => {
    const state = given([drafted(1), filed(1, null)]);
    expect(when(state, save(opA))).toMatchObject([{ payload: { version: 2 } }]);
    expect(when(state, { type: 'AcknowledgePlan', data: key, metadata: meta(prBureau) })).toMatchObject({ details: { rule: 'PL1', filedWith: null } });
  });

  it('PL2: filing records the list versions it was checked against and the items covered, sorted', () => {
    const events = when(given([drafted(1)]), { type: 'FilePlan', data: { ...key, context }, metadata: meta(prA) });
    expect(events).toMatchObject([{ type: 'PlanVersionFiled', payload: { filedWith: 'bureau', listBasis: [{ departmentId: 'bureau', version: 3 }], coveredItems: ['SW-01', 'SW-02'], changes: { added: ['SW-01', 'SW-02'] } } }]);
  });

  it('PL1: acknowledging twice is a no-op for the parent, still refused for anybody else', () => {
    const state = given([drafted(1), filed(1), { type: 'PlanVersionAcknowledged', payload: key }]);
    expect(when(state, { type: 'AcknowledgePlan', data: key, metadata: meta(prBureau) })).toEqual([]);
    expect(when(state, { type: 'AcknowledgePlan', data: key, metadata: meta(prA) })).toBeInstanceOf(SuijiError);
  });

  it('PL4: equal ratios across classes are allowed (not lower is the rule, not strictly higher)', () => {
    const flat = planItem('SW-01', { riskRatios: { A: r(3, 100), B: r(3, 100), C: r(3, 100), D: r(3, 100) }, creditRatios: { A: r(3, 100), B: r(3, 100), C: r(3, 100), D: r(3, 100), dishonest: r(3, 100) } });
    expect(when(given([]), save(opA, [flat, planItem('SW-02')]))).toHaveLength(1);
  });

  it('L2: ratios are compared exactly — 500/10000 equals 1/20 (allowed), 500000001/10000000000 is above it (refused)', () => {
    expect(compareRatios(r(1, 20), r(500, 10000))).toBe(0);
    expect(compareRatios(r(500000001, 4294967295), r(500, 10000))).toBeGreaterThan(0);
    const atCap = planItem('SW-01', { riskRatios: { A: r(1, 100), B: r(2, 100), C: r(3, 100), D: r(1, 20) } });
    expect(when(given([]), save(opA, [atCap, planItem('SW-02')]))).toHaveLength(1);
    const justAbove = planItem('SW-01', { riskRatios: { A: r(1, 100), B: r(2, 100), C: r(3, 100), D: r(50001, 1000000) } });
    expect(when(given([]), save(opA, [justAbove, planItem('SW-02')]))).toMatchObject({ details: { rule: 'L2', field: '/items/0/riskRatios/D' } });
  });
});
