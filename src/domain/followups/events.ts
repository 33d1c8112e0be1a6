/**
 * E9 follow-ups (`followup-<followUpId>`): what a published result with a problem leads to —
 * handover to the daily-supervision unit, case filing (立案, with its case number), judicial
 * referral (移送司法), measures for non-cooperation — each tracked by status until closed, linked
 * to the result (visit and item) that caused it.
 */
import { defineEvent, type DomainEvent } from '../event-definition.js';
import { idSchema, reasonSchema, textSchema } from '../registers/schemas.js';

export const followUpKinds = ['handover', 'caseFiling', 'judicialReferral', 'nonCooperationMeasures'] as const;
export type FollowUpKind = (typeof followUpKinds)[number];
export const followUpKindLabels: Readonly<Record<FollowUpKind, string>> = {
  handover: '移交日常监管', caseFiling: '立案查处', judicialReferral: '移送司法', nonCooperationMeasures: '不配合检查后续措施',
};
/** The result categories that show a problem and so may lead to a follow-up. */
export const problemCategories = ['problemFound', 'nonCooperation'] as const;

const visitId = { type: 'string', minLength: 1, maxLength: 200 } as const;
const userId = { type: 'string', minLength: 1, maxLength: 200 } as const;
export const followUpIdSchema = { type: 'string', minLength: 1, maxLength: 300 } as const;

export const FollowUpOpened = defineEvent('FollowUpOpened', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['followUpId', 'visitId', 'itemId', 'kind', 'executingUnit', 'resultCategory', 'handledBy', 'caseNumber', 'note', 'openedBy', 'on'],
  properties: {
    followUpId: followUpIdSchema, visitId, itemId: idSchema, kind: { enum: followUpKinds }, executingUnit: idSchema,
    /** The published category it follows (E9: a problem, never 未发现问题). */
    resultCategory: idSchema,
    /** The unit or authority it went to (the daily-supervision unit, the public security organ…). */
    handledBy: { anyOf: [{ type: 'null' }, textSchema] },
    /** 立案: the case number. */
    caseNumber: { anyOf: [{ type: 'null' }, textSchema] },
    note: { anyOf: [{ type: 'null' }, reasonSchema] },
    openedBy: userId,
    on: { type: 'string' },
  },
} as const);

export const FollowUpUpdated = defineEvent('FollowUpUpdated', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['followUpId', 'status', 'note', 'updatedBy', 'on'],
  properties: { followUpId: followUpIdSchema, status: textSchema, note: reasonSchema, updatedBy: userId, on: { type: 'string' } },
} as const);

export const FollowUpClosed = defineEvent('FollowUpClosed', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['followUpId', 'outcome', 'closedBy', 'on'],
  properties: { followUpId: followUpIdSchema, outcome: reasonSchema, closedBy: userId, on: { type: 'string' } },
} as const);

export const followUpEventDefinitions = [FollowUpOpened, FollowUpUpdated, FollowUpClosed] as const;
export type FollowUpEvent = DomainEvent<(typeof followUpEventDefinitions)[number]>;
/** One follow-up of a kind per item of a visit: the id is natural, so opening twice is refused. */
export const followUpId = (visitId: string, itemId: string, kind: FollowUpKind): string => `${visitId}.${itemId}.${kind}`;
export const followUpStreamId = (id: string): string => `followup-${id}`;

export type FollowUpState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly followUpId: string;
      readonly visitId: string;
      readonly itemId: string;
      readonly kind: FollowUpKind;
      readonly executingUnit: string;
      readonly resultCategory: string;
      readonly handledBy: string | null;
      readonly caseNumber: string | null;
      readonly openedBy: string;
      readonly openedOn: string;
      readonly status: string;
      readonly updates: readonly { readonly status: string; readonly note: string; readonly by: string; readonly on: string }[];
      readonly closed: { readonly outcome: string; readonly by: string; readonly on: string } | null;
    };
export const initialFollowUpState: FollowUpState = { exists: false };

export function evolveFollowUp(state: FollowUpState, event: FollowUpEvent): FollowUpState {
  if (event.type === 'FollowUpOpened') {
    const p = event.payload;
    return {
      exists: true, followUpId: p.followUpId, visitId: p.visitId, itemId: p.itemId, kind: p.kind, executingUnit: p.executingUnit, resultCategory: p.resultCategory,
      handledBy: p.handledBy, caseNumber: p.caseNumber, openedBy: p.openedBy, openedOn: p.on, status: 'open', updates: [], closed: null,
    };
  }
  if (!state.exists) return state;
  switch (event.type) {
    case 'FollowUpUpdated':
      return { ...state, status: event.payload.status, updates: [...state.updates, { status: event.payload.status, note: event.payload.note, by: event.payload.updatedBy, on: event.payload.on }] };
    case 'FollowUpClosed':
      return { ...state, status: 'closed', closed: { outcome: event.payload.outcome, by: event.payload.closedBy, on: event.payload.on } };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
