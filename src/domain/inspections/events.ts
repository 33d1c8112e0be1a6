/**
 * The on-site record of one visit (E1, E4, A3): stream `inspection-<visitId>`. E4's order is
 * the stream's order — pre-check (预查比对) → on-site → the target signs or refuses before a
 * witness → the inspectors sign → the leader closes. Every event's envelope names the actor
 * (the token's user), so each inspector's action is attributable (A3).
 */
import { defineEvent, type DomainEvent, type PayloadOf } from '../event-definition.js';
import { sha256Schema } from '../evidence/events.js';
import { dateSchema, idSchema, inspectionMethods, longTextSchema, textSchema, usccSchema } from '../registers/schemas.js';

const visitId = { type: 'string', minLength: 1, maxLength: 200 } as const;
/** A group member as the visit's group lists it: an inspector id of the register. */
const inspectorId = { type: 'string', minLength: 1, maxLength: 200 } as const;
export const onSiteMeasures = ['onSiteRecord', 'evidenceTaken', 'orderToStop', 'orderToRectify'] as const;
export const rectificationStatuses = ['notNeeded', 'rectifiedOnSite', 'ordered'] as const;
/** E2 answer kinds of a conformity question; numbers and text answer the other kinds. */
export const conformityAnswers = ['conforms', 'doesNotConform', 'notApplicable'] as const;

export const preCheckSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['consulted', 'found', 'method'],
  properties: {
    /** What was consulted before going (registers, earlier results, complaints …). */
    consulted: { type: 'array', minItems: 1, maxItems: 50, items: textSchema },
    found: longTextSchema,
    /** E3: the method chosen. */
    method: { enum: inspectionMethods },
  },
} as const;

export const findingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'answer'],
  properties: {
    itemId: idSchema,
    /** `<itemId>/<qid>` as the combined form (E2) names it. */
    questionId: { type: 'string', minLength: 1, maxLength: 200 },
    answer: { anyOf: [{ enum: conformityAnswers }, { type: 'number' }, longTextSchema] },
    note: longTextSchema,
    /** E4: the evidence for this finding (a photo when the question requires one); each is also in the record's `evidence`. */
    evidence: { type: 'array', maxItems: 50, uniqueItems: true, items: sha256Schema },
  },
} as const;

export const onSiteSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['present', 'credentialsShown', 'noticeNumber', 'findings', 'measures', 'rectification', 'evidence'],
  properties: {
    /** E4: at least two inspectors of the visit's group were present. */
    present: { type: 'array', minItems: 2, maxItems: 50, uniqueItems: true, items: inspectorId },
    /** E4: credentials (执法证件) were shown — the record cannot say otherwise. */
    credentialsShown: { const: true },
    /** 检查告知书编号. */
    noticeNumber: { type: 'string', minLength: 1, maxLength: 100 },
    findings: { type: 'array', minItems: 1, maxItems: 500, items: findingSchema },
    measures: { type: 'array', maxItems: 4, uniqueItems: true, items: { enum: onSiteMeasures } },
    rectification: {
      type: 'object',
      additionalProperties: false,
      required: ['status'],
      properties: { status: { enum: rectificationStatuses }, dueDate: dateSchema },
    },
    /** E10: SHA-256 of stored evidence files (each has its `EvidenceStored` event). */
    evidence: { type: 'array', maxItems: 500, uniqueItems: true, items: sha256Schema },
  },
} as const;

export const targetSignatureSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'role'],
  properties: { name: textSchema, role: textSchema },
} as const;

export const witnessSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'idNote'],
  properties: { name: textSchema, /** How the witness was identified (ID card tail, post …). */ idNote: textSchema },
} as const;

export const PreCheckRecorded = defineEvent('PreCheckRecorded', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', ...preCheckSchema.required],
  properties: { visitId, ...preCheckSchema.properties },
} as const);

export const OnSiteRecorded = defineEvent('OnSiteRecorded', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', ...onSiteSchema.required],
  properties: { visitId, ...onSiteSchema.properties },
} as const);

export const TargetSigned = defineEvent('TargetSigned', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'name', 'role'],
  properties: { visitId, ...targetSignatureSchema.properties },
} as const);

export const TargetSignatureRefused = defineEvent('TargetSignatureRefused', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'witness'],
  properties: { visitId, witness: witnessSchema },
} as const);

/** A3: written only by the inspector's own token (the envelope's actor is the inspector). */
export const InspectorSigned = defineEvent('InspectorSigned', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'inspectorId'],
  properties: { visitId, inspectorId },
} as const);

/** E1: the group's leader closes the record; results may be submitted from here on. */
export const InspectionRecordClosed = defineEvent('InspectionRecordClosed', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'uscc', 'closedBy'],
  properties: { visitId, uscc: usccSchema, closedBy: inspectorId },
} as const);

export const inspectionEventDefinitions = [PreCheckRecorded, OnSiteRecorded, TargetSigned, TargetSignatureRefused, InspectorSigned, InspectionRecordClosed] as const;
export type InspectionEvent = DomainEvent<(typeof inspectionEventDefinitions)[number]>;
export type PreCheck = PayloadOf<typeof PreCheckRecorded>;
export type OnSite = PayloadOf<typeof OnSiteRecorded>;

export const inspectionStreamId = (visitId: string): string => `inspection-${visitId}`;

export const inspectionStatuses = ['notStarted', 'preChecked', 'onSite', 'targetAnswered', 'closed'] as const;
export type InspectionStatus = (typeof inspectionStatuses)[number];

export interface InspectionState {
  readonly status: InspectionStatus;
  readonly preCheck: PreCheck | null;
  readonly onSite: OnSite | null;
  readonly target: { readonly signed: { name: string; role: string } } | { readonly refused: { witness: { name: string; idNote: string } } } | null;
  /** Inspector ids, in signing order, once each. */
  readonly signatures: readonly string[];
  readonly closedBy: string | null;
}
export const initialInspectionState: InspectionState = { status: 'notStarted', preCheck: null, onSite: null, target: null, signatures: [], closedBy: null };

export function evolveInspection(state: InspectionState, event: InspectionEvent): InspectionState {
  switch (event.type) {
    case 'PreCheckRecorded':
      return { ...state, status: 'preChecked', preCheck: event.payload };
    case 'OnSiteRecorded':
      return { ...state, status: 'onSite', onSite: event.payload };
    case 'TargetSigned':
      return { ...state, status: 'targetAnswered', target: { signed: { name: event.payload.name, role: event.payload.role } } };
    case 'TargetSignatureRefused':
      return { ...state, status: 'targetAnswered', target: { refused: { witness: event.payload.witness } } };
    case 'InspectorSigned':
      return state.signatures.includes(event.payload.inspectorId) ? state : { ...state, signatures: [...state.signatures, event.payload.inspectorId] };
    case 'InspectionRecordClosed':
      return { ...state, status: 'closed', closedBy: event.payload.closedBy };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** E4: signatures that count — of inspectors who were present on site, each once. */
export const presentSignatures = (s: InspectionState): string[] => s.signatures.filter((i) => s.onSite?.present.includes(i));
