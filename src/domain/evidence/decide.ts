/** Recording a stored evidence file (E10, A3): pure; the blob is already durable when this runs. */
import type { Command, Decider } from '../decider.js';
import { SuijiError } from '../errors.js';
import { guard } from '../registers/guard.js';
import { evolveEvidence, initialEvidenceState, type EvidenceEvent, type EvidenceState } from './events.js';

export interface StoreEvidenceData {
  readonly blob: { readonly sha256: string; readonly size: number; readonly mime: string; readonly ext: string };
  readonly fileName?: string;
  readonly visitId?: string;
  /**
   * Read by the application service from the visits read model, never sent by a client: the
   * executing unit of `visitId`, or null when no such visit exists.
   */
  readonly visitUnit: string | null;
}
export type StoreEvidence = Command<'StoreEvidence', StoreEvidenceData>;

export function decideEvidence(command: StoreEvidence, state: EvidenceState): readonly EvidenceEvent[] | SuijiError {
  const { blob, fileName, visitId, visitUnit } = command.data;
  const actor = command.metadata.actor;
  // A3/L4: evidence is filed by someone of the unit that executes the visit (or, without a visit, for the own department).
  const department = visitId !== undefined && visitUnit !== null ? visitUnit : actor.department;
  const denied = guard(command.metadata, 'evidence.write', department);
  if (denied) return new SuijiError(denied.code, { ...denied.details, field: visitId !== undefined ? 'visitId' : 'department' }, { zh: denied.messageZh, en: denied.messageEn });
  if (visitId !== undefined && visitUnit === null) {
    return new SuijiError('NOT_FOUND', { field: 'visitId', rule: 'E10', kind: 'visit', id: visitId }, { zh: `E10：未找到检查（上门）：${visitId}`, en: `E10: visit not found: ${visitId}` });
  }
  if (state.citations.some((c) => c.visitId === (visitId ?? null) && c.fileName === (fileName ?? null))) return [];
  return [
    {
      type: 'EvidenceStored',
      payload: {
        sha256: blob.sha256,
        size: blob.size,
        mime: blob.mime,
        ext: blob.ext,
        department,
        ...(fileName !== undefined ? { fileName } : {}),
        ...(visitId !== undefined ? { visitId } : {}),
      },
    },
  ];
}

export const evidenceDecider: Decider<StoreEvidence, EvidenceEvent, EvidenceState> = {
  initialState: initialEvidenceState,
  decide: decideEvidence,
  evolve: evolveEvidence,
};
