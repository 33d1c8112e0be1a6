/**
 * Inspections other than random ones (双随机以外的检查, G2): complaints and reports, big-data
 * alerts, higher-level special orders, transferred or assigned cases, emergencies, violations
 * found in duty. Each is recorded as its own kind with the document it rests on. It is never a
 * draw: it has no commitment, no pool, writes no PL5 count and never appears in the draws list.
 */
import { defineEvent, type DomainEvent, type PayloadOf } from '../event-definition.js';
import { dateSchema, idSchema, reasonSchema, textSchema, usccSchema } from '../registers/schemas.js';

/** G2's six grounds, in the order the guideline lists them. */
export const nonRandomKinds = ['complaintOrReport', 'bigDataAlert', 'higherLevelOrder', 'transferredCase', 'emergency', 'violationFoundInDuty'] as const;
export type NonRandomKind = (typeof nonRandomKinds)[number];

/** Chinese labels of the kinds, for public text and messages. */
export const nonRandomKindLabels: Readonly<Record<NonRandomKind, string>> = {
  complaintOrReport: '投诉举报',
  bigDataAlert: '大数据监测预警',
  higherLevelOrder: '上级交办/专项指令',
  transferredCase: '转办交办案件',
  emergency: '突发事件',
  violationFoundInDuty: '履职中发现的违法行为',
};

/** A non-random inspection names few entities; a list of thousands is a draw in disguise. */
export const MAX_NON_RANDOM_TARGETS = 1000;

export const sourceDocumentSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['number', 'issuingBody', 'date'],
  properties: {
    /** The document's number (文号 / 举报编号 / 预警编号), e.g. 沂市监投〔2026〕37号. */
    number: textSchema,
    /** Who issued or received it (来源单位): the complaint hotline, the alerting platform, the higher authority. */
    issuingBody: textSchema,
    date: dateSchema,
  },
} as const;

export const nonRandomInspectionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['inspectionId', 'kind', 'department', 'sourceDocument', 'targets', 'items', 'reason'],
  properties: {
    inspectionId: idSchema,
    kind: { enum: nonRandomKinds },
    /** The department that inspects and owns the record (G3). */
    department: idSchema,
    sourceDocument: sourceDocumentSchema,
    /** The entities inspected: each must be in the target register. */
    targets: { type: 'array', minItems: 1, maxItems: MAX_NON_RANDOM_TARGETS, uniqueItems: true, items: usccSchema },
    /**
     * What is inspected. Chosen: free text or item ids — G2 binds only *random* inspections to
     * the current item list, and a complaint names the matter complained of.
     */
    items: { type: 'array', minItems: 1, maxItems: 50, uniqueItems: true, items: textSchema },
    reason: reasonSchema,
  },
} as const;

export const NonRandomInspectionRecorded = defineEvent('NonRandomInspectionRecorded', 1, {
  ...nonRandomInspectionSchema,
  required: [...nonRandomInspectionSchema.required, 'recordedBy'],
  properties: {
    ...nonRandomInspectionSchema.properties,
    /** P1: who recorded it (the ledger envelope also carries the actor and the time). */
    recordedBy: idSchema,
  },
} as const);

export const nonRandomInspectionEventDefinitions = [NonRandomInspectionRecorded] as const;
export type NonRandomInspectionEvent = DomainEvent<(typeof nonRandomInspectionEventDefinitions)[number]>;
export type NonRandomInspection = PayloadOf<typeof NonRandomInspectionRecorded>;

export type NonRandomInspectionState = { readonly exists: false } | { readonly exists: true; readonly inspection: NonRandomInspection };
export const initialNonRandomInspectionState: NonRandomInspectionState = { exists: false };

export const nonRandomInspectionStreamId = (inspectionId: string): string => `nonRandomInspection-${inspectionId}`;

export function evolveNonRandomInspection(state: NonRandomInspectionState, event: NonRandomInspectionEvent): NonRandomInspectionState {
  switch (event.type) {
    case 'NonRandomInspectionRecorded':
      return { exists: true, inspection: event.payload };
    default: {
      const _exhaustive: never = event.type;
      return _exhaustive;
    }
  }
}
