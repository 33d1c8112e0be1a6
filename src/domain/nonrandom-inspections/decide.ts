/** Recording an inspection that is not random (G2): pure, time and actor from the metadata. */
import type { FromSchema } from 'json-schema-to-ts';
import type { Command, Decider } from '../decider.js';
import { SuijiError, ruleViolation } from '../errors.js';
import { guard } from '../registers/guard.js';
import { validateUscc } from '../uscc.js';
import {
  evolveNonRandomInspection, initialNonRandomInspectionState,
  type NonRandomInspectionEvent, type NonRandomInspectionState, type nonRandomInspectionSchema,
} from './events.js';
import { shanghaiDate } from '../calendar/index.js';

export type NonRandomInspectionRequest = FromSchema<typeof nonRandomInspectionSchema>;

/** Read by the application service from the register, never sent by a client. */
export interface NonRandomInspectionContext {
  /** The requested targets that are in the target register (any status: a complaint may concern a closed business). */
  readonly registered: readonly string[];
  /** Whether `department` is in the organisation register (G3): admin may record for any, but only a real one. */
  readonly departmentRegistered: boolean;
}

export type RecordNonRandomInspection = Command<'RecordNonRandomInspection', { readonly request: NonRandomInspectionRequest; readonly context: NonRandomInspectionContext }>;
export type NonRandomInspectionCommand = RecordNonRandomInspection;


const isCalendarDate = (d: string): boolean => {
  const ms = Date.parse(`${d}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === d;
};

const g2Invalid = (field: string, zh: string, en: string): SuijiError =>
  new SuijiError('VALIDATION_FAILED', { field, rule: 'G2' }, { zh: `G2：${zh}`, en: `G2: ${en}` });

/** The first field a client left blank (whitespace only), as a JSON pointer. */
function blankField(r: NonRandomInspectionRequest): string | null {
  const texts: [string, string][] = [
    ['/sourceDocument/number', r.sourceDocument.number],
    ['/sourceDocument/issuingBody', r.sourceDocument.issuingBody],
    ['/reason', r.reason],
    ...r.items.map((item, i): [string, string] => [`/items/${i}`, item]),
  ];
  return texts.find(([, v]) => v.trim() === '')?.[0] ?? null;
}

export function decideNonRandomInspection(command: NonRandomInspectionCommand, state: NonRandomInspectionState): readonly NonRandomInspectionEvent[] | SuijiError {
  switch (command.type) {
    case 'RecordNonRandomInspection': {
      const { request: r, context } = command.data;
      const meta = command.metadata;
      // G3/L4: an operator or principal records for the own department only; auditors and inspectors never write.
      const denied = guard(meta, 'nonRandomInspection.record', r.department);
      if (denied) return new SuijiError(denied.code, { ...denied.details, field: '/department' }, { zh: denied.messageZh, en: denied.messageEn });
      if (!context.departmentRegistered) {
        return new SuijiError('NOT_FOUND', { field: '/department', rule: 'G3', kind: 'department', id: r.department }, {
          zh: `G3：未找到部门：${r.department}`,
          en: `G3: department not found: ${r.department}`,
        });
      }
      if (state.exists) {
        return new SuijiError('ALREADY_EXISTS', { field: '/inspectionId', rule: 'G2', inspectionId: r.inspectionId }, {
          zh: `G2：检查记录编号 ${r.inspectionId} 已存在`,
          en: `G2: non-random inspection ${r.inspectionId} already exists`,
        });
      }
      const blank = blankField(r);
      if (blank) return g2Invalid(blank, '不能为空白', 'must not be blank');
      const date = r.sourceDocument.date;
      if (!isCalendarDate(date)) return g2Invalid('/sourceDocument/date', `来源文书日期 ${date} 不是有效日期`, `source document date ${date} is not a calendar date`);
      if (date > shanghaiDate(Date.parse(meta.now))) {
        return g2Invalid('/sourceDocument/date', `来源文书日期 ${date} 晚于登记日期：检查须有在先的依据`, `source document date ${date} is after the recording date: an inspection rests on an earlier document`);
      }
      for (const [i, t] of r.targets.entries()) {
        const bad = validateUscc(t, `/targets/${i}`);
        if (bad) return bad;
      }
      const registered = new Set(context.registered);
      const unknown = r.targets.filter((t) => !registered.has(t));
      if (unknown.length > 0) {
        return ruleViolation('G2', `检查对象不在检查对象名录库中：${unknown.join('、')}`, `targets not in the target register: ${unknown.join(', ')}`, {
          field: '/targets',
          reason: 'TARGET_NOT_REGISTERED',
          targets: unknown,
        });
      }
      return [{
        type: 'NonRandomInspectionRecorded',
        payload: { ...r, sourceDocument: { ...r.sourceDocument }, targets: [...r.targets].sort(), items: [...r.items], recordedBy: meta.actor.userId },
      }];
    }
    default: {
      const _exhaustive: never = command.type;
      return _exhaustive;
    }
  }
}

export const nonRandomInspectionDecider: Decider<NonRandomInspectionCommand, NonRandomInspectionEvent, NonRandomInspectionState> = {
  initialState: initialNonRandomInspectionState,
  decide: decideNonRandomInspection,
  evolve: evolveNonRandomInspection,
};
