/**
 * Evidence upload as a use case (E10, A3): check what can be checked before a byte is stored
 * (the actor's right, the visit), store the blob durably, then record `EvidenceStored` by the
 * uploader. Order matters: the event is appended only after the blob is fsynced and linked, so
 * the ledger never names bytes that are not there. A crash between the two leaves a blob no
 * event cites — harmless: the next upload of the same bytes records it (docs/evidence.md).
 */
import type { Readable } from 'node:stream';
import { authorize } from '../../domain/access.js';
import type { CommandMetadata } from '../../domain/decider.js';
import { evidenceDecider, evidenceStreamId, type EvidenceRecord } from '../../domain/evidence/index.js';
import { SuijiError } from '../../domain/errors.js';
import { getVisit } from '../../projections/visits/index.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import type { EvidenceStore } from '../../store/evidence/index.js';
import { handleCommand } from '../../store/handle-command.js';
import type { EventStore } from '../../store/port.js';

export interface EvidenceDeps {
  readonly store: EventStore;
  readonly projections: ProjectionRunner;
  readonly evidence: EvidenceStore;
}

export interface UploadRequest {
  readonly fileName?: string;
  readonly visitId?: string;
  /** Lowercase hex the client computed; a mismatch refuses the upload (truncated or altered). */
  readonly expectedSha256?: string;
  /** The field to name on a mismatch (`headers/x-content-sha256` over HTTP). */
  readonly expectedField?: string;
}

export interface UploadResult {
  readonly sha256: string;
  readonly size: number;
  readonly mime: string;
  readonly ext: string;
  readonly streamId: string;
  /** Ledger position of the EvidenceStored event; of the earlier one when this upload repeated a recorded citation. */
  readonly position: number;
  /** false when the same bytes with the same visit and file name were already recorded (nothing new written). */
  readonly recorded: boolean;
}

export class EvidenceService {
  constructor(private readonly deps: EvidenceDeps) {}

  async upload(meta: CommandMetadata, source: AsyncIterable<Uint8Array> | Readable, request: UploadRequest): Promise<UploadResult> {
    // Refusals that do not depend on the bytes come first, so a refused upload stores nothing.
    const visitUnit = await this.visitUnit(request.visitId);
    const department = request.visitId !== undefined && visitUnit !== null ? visitUnit : meta.actor.department;
    const denied = authorize(meta.actor, 'evidence.write', { department });
    if (denied) throw new SuijiError(denied.code, { ...denied.details, field: request.visitId !== undefined ? 'visitId' : 'department' }, { zh: denied.messageZh, en: denied.messageEn });
    if (request.visitId !== undefined && visitUnit === null) {
      throw new SuijiError('NOT_FOUND', { field: 'visitId', rule: 'E10', kind: 'visit', id: request.visitId }, { zh: `E10：未找到检查（上门）：${request.visitId}`, en: `E10: visit not found: ${request.visitId}` });
    }
    const blob = await this.deps.evidence.putStream(source, {
      ...(request.expectedSha256 !== undefined ? { expectedSha256: request.expectedSha256 } : {}),
      ...(request.expectedField !== undefined ? { expectedField: request.expectedField } : {}),
    });
    const streamId = evidenceStreamId(blob.sha256);
    const handled = await handleCommand(this.deps.store, {
      streamId,
      decider: evidenceDecider,
      command: {
        type: 'StoreEvidence',
        data: {
          blob,
          visitUnit,
          ...(request.fileName !== undefined ? { fileName: request.fileName } : {}),
          ...(request.visitId !== undefined ? { visitId: request.visitId } : {}),
        },
        metadata: meta,
      },
    });
    let position = handled.appended?.position;
    if (position === undefined) {
      const prior = (await this.deps.store.readStream(streamId)).find((e) => {
        const p = e.payload as EvidenceRecord;
        return (p.visitId ?? null) === (request.visitId ?? null) && (p.fileName ?? null) === (request.fileName ?? null);
      });
      position = prior?.position ?? -1;
    }
    return { sha256: blob.sha256, size: blob.size, mime: blob.mime, ext: blob.ext, streamId, position, recorded: handled.appended !== null };
  }

  /** Every EvidenceStored event's hash, once each, in ledger order (what `evidence verify` checks). */
  async referencedHashes(): Promise<string[]> {
    const seen = new Set<string>();
    const size = (await this.deps.store.head()).size;
    for (let from = 0; from < size; ) {
      const page = await this.deps.store.readAll({ from, limit: 5_000 });
      if (page.length === 0) break;
      for (const e of page) if (e.type === 'EvidenceStored') seen.add((e.payload as EvidenceRecord).sha256);
      from = page[page.length - 1]!.position + 1;
    }
    return [...seen];
  }

  /** The executing unit of a visit as the read models know it now (a visit just derived included), or null. */
  private async visitUnit(visitId: string | undefined): Promise<string | null> {
    if (visitId === undefined) return null;
    await this.deps.projections.catchUp();
    return getVisit(this.deps.projections.db, visitId)?.executingUnit ?? null;
  }
}
