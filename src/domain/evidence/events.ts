/**
 * Evidence (E10, 一对象一档案): the ledger records the SHA-256 of every stored evidence file, so
 * the ledger proves the bytes unchanged. One stream per blob, `evidence-<sha256>`; each upload
 * that cites the blob differently (another visit, another file name) is one more event in it.
 */
import { defineEvent, type DomainEvent, type PayloadOf } from '../event-definition.js';
import { idSchema } from '../registers/schemas.js';

export const sha256Schema = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
/** A display name only (the bytes decide the type): any text without control characters. */
export const evidenceFileNameSchema = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[^\\u0000-\\u001f\\u007f]+$' } as const;
/** `<unit>-<YYYYMMDD>-<uscc>` (src/domain/visits/merge.ts). */
export const visitIdSchema = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}-\\d{8}-[0-9A-Z]{18}$' } as const;

export const EvidenceStored = defineEvent('EvidenceStored', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['sha256', 'size', 'mime', 'ext', 'department'],
  properties: {
    sha256: sha256Schema,
    size: { type: 'integer', minimum: 1 },
    /** Sniffed from the bytes (file-type), never taken from the name or the client. */
    mime: { type: 'string', minLength: 3, maxLength: 100 },
    ext: { type: 'string', minLength: 1, maxLength: 20 },
    /** As the uploader gave it; for display only. */
    fileName: evidenceFileNameSchema,
    /** The visit the evidence belongs to, when given; it named a visit when recorded. */
    visitId: visitIdSchema,
    /** The uploader's department (the envelope's actor is the uploader, A3). */
    department: idSchema,
  },
} as const);

export const evidenceEventDefinitions = [EvidenceStored] as const;
export type EvidenceEvent = DomainEvent<(typeof evidenceEventDefinitions)[number]>;
export type EvidenceRecord = PayloadOf<typeof EvidenceStored>;

export const evidenceStreamId = (sha256: string): string => `evidence-${sha256}`;

export interface EvidenceState {
  /** The citations recorded so far: a repeat of one is a no-op (a retried upload). */
  readonly citations: readonly { readonly visitId: string | null; readonly fileName: string | null }[];
}
export const initialEvidenceState: EvidenceState = { citations: [] };

export const evolveEvidence = (state: EvidenceState, event: EvidenceEvent): EvidenceState => ({
  citations: [...state.citations, { visitId: event.payload.visitId ?? null, fileName: event.payload.fileName ?? null }],
});
