/**
 * The non-random inspection decider, pure (G2): given events / when a command / then events or
 * a coded error naming the field and the rule. Every produced event must pass its schema.
 */
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { SuijiError } from '../../src/domain/errors.js';
import {
  nonRandomInspectionDecider, nonRandomKinds,
  type NonRandomInspectionCommand, type NonRandomInspectionEvent, type NonRandomInspectionRequest,
} from '../../src/domain/nonrandom-inspections/index.js';
import { actors, decideOn, makeUscc } from './registers/helpers.js';

const NOW = '2026-03-02T02:00:00.000Z';
const uscc = (n: number): string => makeUscc(`9137032300${String(n).padStart(7, '0')}`);
const A = uscc(1);
const B = uscc(2);
const who = { ...actors, prA: actors.principalA, inspector: actors.inspectorA } satisfies Record<string, Actor>;

const complaint: NonRandomInspectionRequest = {
  inspectionId: 'NR-1',
  kind: 'complaintOrReport',
  department: 'dept-a',
  sourceDocument: { number: '12315-2026-0301-0042', issuingBody: '全国12315平台', date: '2026-03-01' },
  targets: [B, A],
  items: ['加油机计量准确性', 'SW-01'],
  reason: '消费者投诉加油量不足',
};
const record = (actor: Actor, over: Partial<NonRandomInspectionRequest> = {}, registered: readonly string[] = [A, B], now = NOW, departmentRegistered = true): NonRandomInspectionCommand => ({
  type: 'RecordNonRandomInspection',
  data: { request: { ...complaint, ...over }, context: { registered, departmentRegistered } },
  metadata: { actor, now, commandId: 'c1' },
});

const decide = (history: readonly NonRandomInspectionEvent[], command: NonRandomInspectionCommand) => decideOn(nonRandomInspectionDecider, history, command);
const refused = (out: readonly NonRandomInspectionEvent[] | SuijiError): SuijiError => {
  if (!(out instanceof SuijiError)) throw new Error(`expected a refusal, got ${JSON.stringify(out)}`);
  expect(out.messageZh).toMatch(/[\u4e00-\u9fff]/);
  expect(out.messageEn).not.toMatch(/[\u4e00-\u9fff]/);
  return out;
};

describe('given no record, when an operator of the department records a complaint inspection (G2)', () => {
  it('G2: then one NonRandomInspectionRecorded with its kind, source document, sorted targets and recorder — and nothing else', () => {
    expect(decide([], record(who.opA))).toEqual([
      { type: 'NonRandomInspectionRecorded', payload: { ...complaint, targets: [A, B], recordedBy: 'op-a' } },
    ]);
  });

  it('G2: every one of the six kinds is recorded as itself', () => {
    for (const kind of nonRandomKinds) {
      const [e] = decide([], record(who.prA, { kind })) as readonly NonRandomInspectionEvent[];
      expect(e!.payload.kind).toBe(kind);
    }
  });
});

describe('when the actor may not record for the department (G3, L4)', () => {
  for (const [name, actor] of [['an auditor', who.auditor], ['an inspector', who.inspector], ['an operator of another department', who.opB]] as const) {
    it(`G2/L4: ${name} is refused (FORBIDDEN naming /department and L4)`, () => {
      const e = refused(decide([], record(actor)));
      expect(e.code).toBe('FORBIDDEN');
      expect(e.details).toMatchObject({ rule: 'L4', field: '/department', action: 'nonRandomInspection.record' });
    });
  }
  it('G2: admin records for any department', () => {
    expect(decide([], record(who.admin, { department: 'dept-b' }))).toHaveLength(1);
  });
  it('G3: admin cannot record for a department that is not registered (NOT_FOUND naming /department)', () => {
    const e = refused(decide([], record(who.admin, { department: 'dept-z' }, [A, B], NOW, false)));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.details).toMatchObject({ rule: 'G3', field: '/department' });
  });
});

describe('when the record is wrong', () => {
  const history = (): readonly NonRandomInspectionEvent[] => decide([], record(who.opA)) as readonly NonRandomInspectionEvent[];

  it('G2: an inspection id is recorded once (ALREADY_EXISTS naming /inspectionId)', () => {
    const e = refused(decide(history(), record(who.prA)));
    expect(e.code).toBe('ALREADY_EXISTS');
    expect(e.details).toMatchObject({ field: '/inspectionId', rule: 'G2' });
  });

  it('G2: a target not in the target register is refused, and the error names it', () => {
    const e = refused(decide([], record(who.opA, {}, [A])));
    expect(e.code).toBe('RULE_VIOLATION');
    expect(e.details).toMatchObject({ rule: 'G2', field: '/targets', reason: 'TARGET_NOT_REGISTERED', targets: [B] });
    expect(e.messageZh).toContain(B);
  });

  it('L6: a credit code with a wrong check character names its index', () => {
    const bad = `${A.slice(0, 17)}${A[17] === '0' ? '1' : '0'}`;
    const e = refused(decide([], record(who.opA, { targets: [A, bad] }, [A, bad])));
    expect(e.details).toMatchObject({ rule: 'L6', field: '/targets/1' });
  });

  it('G2: a source document dated after the recording day (Asia/Shanghai) is refused; the same day is accepted', () => {
    // 2026-03-02T02:00Z is 10:00 on 2 March in Shanghai.
    expect(refused(decide([], record(who.opA, { sourceDocument: { ...complaint.sourceDocument, date: '2026-03-03' } }))).details).toMatchObject({ rule: 'G2', field: '/sourceDocument/date' });
    expect(decide([], record(who.opA, { sourceDocument: { ...complaint.sourceDocument, date: '2026-03-02' } }))).toHaveLength(1);
    // 17:00Z on 1 March is already 2 March in Shanghai.
    expect(decide([], record(who.opA, { sourceDocument: { ...complaint.sourceDocument, date: '2026-03-02' } }, [A, B], '2026-03-01T17:00:00.000Z'))).toHaveLength(1);
  });

  it('G2: a date that is no calendar date (2026-02-30) is refused naming /sourceDocument/date', () => {
    expect(refused(decide([], record(who.opA, { sourceDocument: { ...complaint.sourceDocument, date: '2026-02-30' } }))).details).toMatchObject({ field: '/sourceDocument/date' });
  });

  it('G2: a blank source document number, reason or item is refused naming the field', () => {
    expect(refused(decide([], record(who.opA, { sourceDocument: { ...complaint.sourceDocument, number: '  ' } }))).details).toMatchObject({ field: '/sourceDocument/number', rule: 'G2' });
    expect(refused(decide([], record(who.opA, { reason: '\t' }))).details).toMatchObject({ field: '/reason' });
    expect(refused(decide([], record(who.opA, { items: ['SW-01', ' '] }))).details).toMatchObject({ field: '/items/1' });
  });
});
